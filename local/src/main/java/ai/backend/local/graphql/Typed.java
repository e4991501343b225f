package ai.backend.local.graphql;

/** A source object that knows its GraphQL object type, so interfaces ({@code Item}, {@code PaginatedList}) resolve. */
interface Typed {
    String graphQLTypeName();
}
