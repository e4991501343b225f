package ai.backend.local.graphql;

import graphql.schema.DataFetchingEnvironment;
import java.util.Map;

/** An object value given as its fields by name, with its GraphQL type name (so interfaces resolve). */
record TypedMap(String graphQLTypeName, Map<String, Object> fields) implements Typed {
    /** A default data fetcher: the source's field of the requested name. */
    static Object fetch(DataFetchingEnvironment env) {
        TypedMap m = env.getSource();
        return m == null ? null : m.fields().get(env.getFieldDefinition().getName());
    }
}
