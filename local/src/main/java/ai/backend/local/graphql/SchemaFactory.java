package ai.backend.local.graphql;

import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.TypeResolver;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import graphql.schema.idl.TypeRuntimeWiring;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds the admin or the user schema from SDL resources under {@code /ai/backend/local/graphql/}:
 * {@code common.graphqls} (scalars and interfaces), the role's root types ({@code schema-admin.graphqls}
 * or {@code schema-user.graphqls}), then every area's files ({@link SchemaArea#sdl}), wired with the
 * areas' data fetchers.
 */
final class SchemaFactory {
    static final String RESOURCE_DIR = "/ai/backend/local/graphql/";

    private SchemaFactory() {
    }

    static GraphQLSchema build(SchemaRole role, List<SchemaArea> areas) {
        Set<String> resources = new LinkedHashSet<>();
        resources.add("common.graphqls");
        resources.add(role.schemaResource());
        for (SchemaArea area : areas) {
            resources.addAll(area.sdl(role));
        }
        TypeDefinitionRegistry registry = new TypeDefinitionRegistry();
        SchemaParser parser = new SchemaParser();
        for (String name : resources) {
            registry.merge(parser.parse(read(name)));
        }

        RuntimeWiring.Builder wiring = RuntimeWiring.newRuntimeWiring();
        for (GraphQLScalarType scalar : Scalars.all()) {
            wiring.scalar(scalar);
        }
        TypeResolver byTypedSource = env -> {
            Object source = env.getObject();
            if (source instanceof Typed typed) {
                GraphQLObjectType type = env.getSchema().getObjectType(typed.graphQLTypeName());
                if (type != null) {
                    return type;
                }
            }
            throw new IllegalStateException("Cannot tell the GraphQL type of " + source);
        };
        wiring.type(TypeRuntimeWiring.newTypeWiring("Item").typeResolver(byTypedSource));
        wiring.type(TypeRuntimeWiring.newTypeWiring("PaginatedList").typeResolver(byTypedSource));
        for (SchemaArea area : areas) {
            area.wire(wiring, role);
        }
        return new SchemaGenerator().makeExecutableSchema(registry, wiring.build());
    }

    private static String read(String name) {
        try (InputStream in = SchemaFactory.class.getResourceAsStream(RESOURCE_DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("Missing GraphQL schema resource " + RESOURCE_DIR + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE_DIR + name, e);
        }
    }
}
