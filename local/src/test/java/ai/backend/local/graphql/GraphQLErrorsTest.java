package ai.backend.local.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import ai.backend.client.internal.Json;
import ai.backend.local.store.Keypair;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The error objects of documents that fail before any resolver runs, compared with the 19.03 manager's. */
class GraphQLErrorsTest {
    private static final GraphQLApi API = new GraphQLApi(List.of(new SessionArea(null, null)));
    private static final Keypair ADMIN = Keypair.generate("admin@test", true);
    private static final Keypair USER = Keypair.generate("user@test", false);

    private static String errors(Keypair k, String query, Map<String, Object> variables) {
        GraphQLApi.Outcome outcome = API.execute(k, query, variables);
        assertThat(outcome.data()).isNull();
        return Json.pythonDumps(outcome.errors());
    }

    @Test
    void unknownArgumentAsInTheTranscript() {
        String query = "query($limit:Int!, $offset:Int!, $ak:String, $group_id:String, $status:String) {\n"
                + "      compute_session_list(limit:$limit, offset:$offset, access_key:$ak, group_id:$group_id, status:$status) {\n"
                + "        items { sess_id status}\n        total_count\n      }\n    }";
        Map<String, Object> vars = Map.of("limit", 30, "offset", 0, "status", "RUNNING");
        assertThat(errors(ADMIN, query, vars)).isEqualTo("[{\"message\": \"Unknown argument \\\"group_id\\\" on field "
                + "\\\"compute_session_list\\\" of type \\\"QueryForAdmin\\\".\", \"locations\": [{\"line\": 2, \"column\": 74}]}]");
        assertThat(errors(USER, query, vars)).contains("of type \\\"QueryForUser\\\".");
    }

    @Test
    void unknownArgumentSuggestsCloseNames() {
        assertThat(errors(USER, "{ compute_session(sessid: \"x\") { sess_id } }", Map.of()))
                .isEqualTo("[{\"message\": \"Unknown argument \\\"sessid\\\" on field \\\"compute_session\\\" of type "
                        + "\\\"QueryForUser\\\". Did you mean \\\"sess_id\\\"?\", \"locations\": [{\"line\": 1, \"column\": 19}]}]");
    }

    @Test
    void unknownFieldsAndRootFieldsThatDoNotExistYet() {
        assertThat(errors(ADMIN, "query {\n  compute_session(sess_id: \"x\") { sess_idd foo }\n}", Map.of()))
                .isEqualTo("[{\"message\": \"Cannot query field \\\"sess_idd\\\" on type \\\"ComputeSession\\\". "
                        + "Did you mean \\\"sess_id\\\"?\", \"locations\": [{\"line\": 2, \"column\": 35}]}, "
                        + "{\"message\": \"Cannot query field \\\"foo\\\" on type \\\"ComputeSession\\\".\", "
                        + "\"locations\": [{\"line\": 2, \"column\": 44}]}]");
        assertThat(errors(USER, "query { keypair { access_key } }", Map.of()))
                .isEqualTo("[{\"message\": \"Cannot query field \\\"keypair\\\" on type \\\"QueryForUser\\\".\", "
                        + "\"locations\": [{\"line\": 1, \"column\": 9}]}]");
    }

    @Test
    void mutationsAreNotConfigured() {
        String expected = "[{\"message\": \"Schema is not configured for mutations\"}]";
        String dealias = "mutation($alias: String!) {  dealias_image(alias: $alias) {   ok msg  }}";
        assertThat(errors(USER, dealias, Map.of("alias", "x"))).isEqualTo(expected);
        assertThat(errors(ADMIN, dealias, Map.of("alias", "x"))).isEqualTo(expected);
        // validation errors come first, as in the transcript of a user's create_keypair
        String create = "mutation($user_id: String!, $input: KeyPairInput!) {  create_keypair(user_id: $user_id, "
                + "props: $input) {    ok msg keypair { access_key secret_key }  }}";
        assertThat(errors(USER, create, Map.of("user_id", "u", "input", Map.of())))
                .isEqualTo("[{\"message\": \"Unknown type \\\"KeyPairInput\\\".\", \"locations\": [{\"line\": 1, \"column\": 37}]}]");
    }

    @Test
    void argumentErrors() {
        // graphql-java reports the missing argument when it enters the field, graphql-core 2 when it leaves it
        assertThat(errors(ADMIN, "{ compute_session_list(offset: \"a\") { total_count items } }", Map.of()))
                .isEqualTo("[{\"message\": \"Field \\\"compute_session_list\\\" argument \\\"limit\\\" of type \\\"Int!\\\" "
                        + "is required but not provided.\", \"locations\": [{\"line\": 1, \"column\": 3}]}, "
                        + "{\"message\": \"Argument \\\"offset\\\" has invalid value \\\"a\\\".\\n"
                        + "Expected type \\\"Int\\\", found \\\"a\\\".\", \"locations\": [{\"line\": 1, \"column\": 32}]}, "
                        + "{\"message\": \"Field \\\"items\\\" of type \\\"[ComputeSession]!\\\" must have a sub selection.\", "
                        + "\"locations\": [{\"line\": 1, \"column\": 51}]}]");
        assertThat(errors(USER, "{ compute_sessions { sess_id { x } } }", Map.of()))
                .isEqualTo("[{\"message\": \"Field \\\"sess_id\\\" of type \\\"String\\\" must not have a sub selection.\", "
                        + "\"locations\": [{\"line\": 1, \"column\": 22}]}]");
    }

    @Test
    void variableErrors() {
        String query = "query($limit: Int!, $offset: Int!, $unused: String) {\n"
                + "  compute_session_list(limit: $limit, offset: $offset, status: $nope) { total_count }\n}";
        assertThat(errors(ADMIN, query, Map.of())).isEqualTo("[{\"message\": \"Variable \\\"$nope\\\" is not defined.\", "
                + "\"locations\": [{\"line\": 2, \"column\": 64}, {\"line\": 1, \"column\": 1}]}, "
                + "{\"message\": \"Variable \\\"$unused\\\" is never used.\", \"locations\": [{\"line\": 1, \"column\": 36}]}]");

        String list = "query($limit: Int!, $offset: Int!) { compute_session_list(limit: $limit, offset: $offset) { total_count } }";
        Map<String, Object> vars = new HashMap<>();
        vars.put("offset", null);
        assertThat(errors(ADMIN, list, vars)).isEqualTo("[{\"message\": \"Variable \\\"$limit\\\" of required type "
                + "\\\"Int!\\\" was not provided.\", \"locations\": [{\"line\": 1, \"column\": 7}]}]");
        assertThat(errors(ADMIN, list, Map.of("limit", "abc", "offset", 0))).isEqualTo("[{\"message\": \"Variable "
                + "\\\"$limit\\\" got invalid value \\\"abc\\\".\\nExpected type \\\"Int\\\", found \\\"abc\\\".\", "
                + "\"locations\": [{\"line\": 1, \"column\": 7}]}]");
        assertThat(errors(ADMIN, "query($x: Int) { compute_session_list(limit: $x, offset: 0) { total_count } }", Map.of()))
                .isEqualTo("[{\"message\": \"Variable \\\"$x\\\" of type \\\"Int\\\" used in position expecting type "
                        + "\\\"Int!\\\".\", \"locations\": [{\"line\": 1, \"column\": 7}, {\"line\": 1, \"column\": 46}]}]");
    }

    @Test
    void syntaxErrors() {
        assertThat(errors(USER, "query {\n  compute_sessions {", Map.of()))
                .isEqualTo("[{\"message\": \"Syntax Error GraphQL (2:21) Unexpected EOF\\n\\n1: query {\\n"
                        + "2:   compute_sessions {\\n                       ^\\n\", \"locations\": [{\"line\": 2, \"column\": 21}]}]");
        assertThat(errors(USER, "", Map.of()))
                .isEqualTo("[{\"message\": \"Syntax Error GraphQL (1:1) Unexpected EOF\\n\\n   ^\\n\", "
                        + "\"locations\": [{\"line\": 1, \"column\": 1}]}]");
    }

    @Test
    void multipleOperationsNeedAName() {
        assertThat(errors(USER, "query A { compute_sessions { sess_id } } query B { compute_sessions { sess_id } }", Map.of()))
                .isEqualTo("[{\"message\": \"Must provide operation name if query contains multiple operations.\"}]");
    }

    @Test
    void schemasHaveTheRootTypesOf1903() {
        assertThat(API.schema(true).getQueryType().getName()).isEqualTo("QueryForAdmin");
        assertThat(API.schema(false).getQueryType().getName()).isEqualTo("QueryForUser");
        assertThat(API.schema(true).getMutationType()).isNull();
        assertThat(API.schema(false).getMutationType()).isNull();
        assertThat(API.schema(true).getQueryType().getFieldDefinitions()).extracting(f -> f.getName())
                .containsExactly("compute_session_list", "compute_sessions", "compute_session", "compute_workers");
        assertThat(API.schema(false).getQueryType().getFieldDefinitions()).extracting(f -> f.getName())
                .containsExactly("compute_sessions", "compute_session", "compute_session_list", "compute_workers");
        assertThat(API.schema(false).getQueryType().getFieldDefinition("compute_sessions").getArguments())
                .extracting(a -> a.getName()).containsExactly("status");
        for (String scalar : List.of("DateTime", "JSONString", "BigInt", "UUID")) {
            assertThat(API.schema(true).getType(scalar)).as(scalar).isNotNull();
        }
    }

    @Test
    void scalarsSerializeAsGraphene() {
        assertThat(Scalars.bigToFloat(5)).isEqualTo(5);
        assertThat(Json.pythonDumps(Scalars.bigToFloat(1073741824L * 4))).isEqualTo("4294967296.0");
        assertThat(Scalars.isoformat(Scalars.parseDateTime("2026-12-04T15:55:34.941659Z")))
                .isEqualTo("2026-12-04T15:55:34.941659+00:00");
        assertThat(Scalars.isoformat(Scalars.parseDateTime("2026-12-04T15:55:34Z"))).isEqualTo("2026-12-04T15:55:34+00:00");
        JsonNode node = Json.MAPPER.valueToTree(Map.of());
        assertThat(Json.pythonDumps(Json.pythonDumps(node))).isEqualTo("\"{}\"");
    }
}
