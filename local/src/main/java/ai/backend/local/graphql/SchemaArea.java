package ai.backend.local.graphql;

import graphql.schema.idl.RuntimeWiring;
import java.util.List;

/**
 * One area of the GraphQL API (compute sessions, keypairs, agents, images, ...): its SDL and its data
 * fetchers. The schemas grow by adding areas to {@link GraphQLApi}; an area adds root fields with
 * {@code extend type QueryForAdmin { ... }} / {@code extend type QueryForUser { ... }} in its own
 * resource files, so a root field that no area declares does not exist and gets graphql-java's ordinary
 * validation error.
 */
public interface SchemaArea {
    /**
     * The SDL resources (names relative to {@code /ai/backend/local/graphql/}) this area needs in the
     * schema of {@code role}: its types, then its root-field extensions. A resource listed by several
     * areas (a shared type file) is loaded once.
     */
    List<String> sdl(SchemaRole role);

    /** Registers the area's data fetchers (root fields and its types' fields) for {@code role}. */
    void wire(RuntimeWiring.Builder wiring, SchemaRole role);
}
