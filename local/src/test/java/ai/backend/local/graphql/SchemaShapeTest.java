package ai.backend.local.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The root fields of the served schemas against protocol §7.2. */
class SchemaShapeTest {
    private static final GraphQLApi API = new GraphQLApi(GraphQLApi.areas(null, null));

    private static List<String> fields(GraphQLObjectType type) {
        return type.getFieldDefinitions().stream().map(GraphQLFieldDefinition::getName).toList();
    }

    private static List<String> args(GraphQLObjectType type, String field) {
        return type.getFieldDefinition(field).getArguments().stream().map(a -> a.getName() + ": " + graphql.schema.GraphQLTypeUtil.simplePrint(a.getType())).toList();
    }

    @Test
    void adminSchema() {
        GraphQLSchema s = API.schema(true);
        GraphQLObjectType q = s.getQueryType();
        assertThat(fields(q)).containsExactlyInAnyOrder("compute_session_list", "compute_sessions", "compute_session",
                "keypair", "keypairs", "keypair_resource_policy", "keypair_resource_policies", "agent", "agent_list",
                "agents", "image", "images", "vfolders", "resource_preset", "resource_presets", "compute_workers");
        assertThat(args(q, "compute_workers")).containsExactly("sess_id: String!", "status: String");
        assertThat(args(q, "keypair")).containsExactly("access_key: String");
        assertThat(args(q, "vfolders")).containsExactly("access_key: String");
        assertThat(args(q, "resource_preset")).containsExactly("name: String");
        assertThat(args(q, "keypairs")).containsExactly("user_id: String", "is_active: Boolean");
        assertThat(args(q, "keypair_resource_policy")).containsExactly("name: String");
        assertThat(args(q, "agent")).containsExactly("agent_id: String!");
        assertThat(args(q, "agent_list")).containsExactly("limit: Int!", "offset: Int!", "status: String");
        assertThat(args(q, "agents")).containsExactly("status: String");
        assertThat(args(q, "image")).containsExactly("reference: String!");
        assertThat(args(q, "images")).containsExactly("is_installed: Boolean");

        GraphQLObjectType m = s.getMutationType();
        assertThat(m.getName()).isEqualTo("MutationForAdmin");
        assertThat(fields(m)).containsExactly("create_keypair", "modify_keypair", "delete_keypair",
                "create_keypair_resource_policy", "modify_keypair_resource_policy", "delete_keypair_resource_policy",
                "rescan_images", "alias_image", "dealias_image", "create_resource_preset", "modify_resource_preset",
                "delete_resource_preset");
        assertThat(args(m, "rescan_images")).containsExactly("registry: String");
        assertThat(args(m, "alias_image")).containsExactly("alias: String!", "target: String!");
        assertThat(args(m, "dealias_image")).containsExactly("alias: String!");
        assertThat(args(m, "create_resource_preset")).containsExactly("name: String!", "props: CreateResourcePresetInput!");
        assertThat(args(m, "create_keypair")).containsExactly("user_id: String!", "props: KeyPairInput!");
        assertThat(args(m, "modify_keypair")).containsExactly("access_key: String!", "props: ModifyKeyPairInput!");
        assertThat(args(m, "create_keypair_resource_policy"))
                .containsExactly("name: String!", "props: CreateKeyPairResourcePolicyInput!");

        assertThat(fields(s.getObjectType("KeyPair"))).containsExactly("user_id", "access_key", "secret_key", "is_active",
                "is_admin", "resource_policy", "created_at", "last_used", "concurrency_used", "rate_limit", "num_queries",
                "compute_sessions", "concurrency_limit", "vfolders");
        assertThat(s.getObjectType("KeyPair").getFieldDefinition("concurrency_limit").isDeprecated()).isTrue();
        assertThat(s.getObjectType("Agent").getInterfaces()).extracting(i -> i.getName()).containsExactly("Item");
        assertThat(s.getObjectType("AgentList").getInterfaces()).extracting(i -> i.getName())
                .containsExactly("PaginatedList");
    }

    @Test
    void userSchema() {
        GraphQLSchema s = API.schema(false);
        GraphQLObjectType q = s.getQueryType();
        assertThat(fields(q)).containsExactlyInAnyOrder("compute_session_list", "compute_sessions", "compute_session",
                "keypair", "keypairs", "keypair_resource_policy", "keypair_resource_policies", "image", "images",
                "vfolders", "resource_preset", "resource_presets", "compute_workers");
        assertThat(args(q, "keypair")).isEmpty();
        assertThat(args(q, "vfolders")).isEmpty();
        assertThat(args(q, "keypairs")).containsExactly("user_id: String!", "is_active: Boolean");
        assertThat(args(q, "images")).isEmpty();
        assertThat(s.getMutationType()).isNull();
        assertThat(s.getType("KeyPairInput")).isNull();
        assertThat(s.getType("Agent")).isNull();
    }
}
