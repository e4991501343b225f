package ai.backend.local.graphql;

import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.TypeRuntimeWiring;
import java.util.List;

/** The value of a {@code PaginatedList} type ({@code items}, {@code total_count}). */
record Page(String graphQLTypeName, List<?> items, int totalCount) implements Typed {
    /** Wires the fields of the paginated list type {@code typeName}. */
    static void wire(RuntimeWiring.Builder wiring, String typeName) {
        wiring.type(TypeRuntimeWiring.newTypeWiring(typeName)
                .dataFetcher("items", env -> ((Page) env.getSource()).items())
                .dataFetcher("total_count", env -> ((Page) env.getSource()).totalCount()));
    }
}
