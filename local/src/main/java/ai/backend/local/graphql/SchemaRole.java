package ai.backend.local.graphql;

/**
 * Which of the two 19.03 schemas is being built (protocol §7.2): the admin schema for {@code is_admin}
 * keypairs, the user schema for the others. Each has its own root type names, which appear in
 * validation messages ({@code ... of type "QueryForAdmin"}).
 */
public enum SchemaRole {
    ADMIN("QueryForAdmin", "admin"),
    USER("QueryForUser", "user");

    private final String queryType;
    private final String suffix;

    SchemaRole(String queryType, String suffix) {
        this.queryType = queryType;
        this.suffix = suffix;
    }

    /** The name of the query root type. */
    public String queryType() {
        return queryType;
    }

    /** The SDL resource of an area's root fields for this role: {@code <area>-admin.graphqls} or {@code <area>-user.graphqls}. */
    public String rootFieldsResource(String area) {
        return area + "-" + suffix + ".graphqls";
    }

    /** The SDL resource that declares this role's root types. */
    String schemaResource() {
        return "schema-" + suffix + ".graphqls";
    }
}
