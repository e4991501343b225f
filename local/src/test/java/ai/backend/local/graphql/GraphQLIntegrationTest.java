package ai.backend.local.graphql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.backend.client.BackendAPIError;
import ai.backend.client.Request;
import ai.backend.client.Response;
import ai.backend.client.Session;
import ai.backend.client.kernel.CreateKernelRequest;
import ai.backend.client.kernel.Kernel;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code POST /admin/graphql} against a real server, with the exact documents the 19.03 client sends (§7.3). */
class GraphQLIntegrationTest extends ServerFixture {
    /** {@code backend.ai admin sessions} / {@code ps} as an admin (with access_key). */
    static final String LIST_ADMIN = "query($limit:Int!, $offset:Int!, $ak:String, $status:String) {\n"
            + "  compute_session_list(\n      limit:$limit, offset:$offset, access_key:$ak, status:$status) {\n"
            + "    items { sess_id access_key image tag created_at terminated_at status occupied_slots mem_cur_bytes"
            + " mem_max_bytes cpu_using }\n    total_count\n  }\n}";
    static final List<String> LIST_ADMIN_FIELDS = List.of("sess_id", "access_key", "image", "tag", "created_at",
            "terminated_at", "status", "occupied_slots", "mem_cur_bytes", "mem_max_bytes", "cpu_using");
    /** The same as a user (no access_key field). */
    static final String LIST_USER = LIST_ADMIN.replace("sess_id access_key image", "sess_id image");
    /** {@code backend.ai admin session ID}. */
    static final String DETAIL = "query($sess_id:String) {\n  compute_session(sess_id:$sess_id) {\n"
            + "    sess_id role image tag created_at terminated_at agent status status_info occupied_slots cpu_used"
            + " mem_cur_bytes mem_max_bytes num_queries net_rx_bytes net_tx_bytes io_read_bytes io_write_bytes"
            + " io_max_scratch_size io_cur_scratch_size cpu_using\n  }\n}";
    static final List<String> DETAIL_FIELDS = List.of("sess_id", "role", "image", "tag", "created_at", "terminated_at",
            "agent", "status", "status_info", "occupied_slots", "cpu_used", "mem_cur_bytes", "mem_max_bytes",
            "num_queries", "net_rx_bytes", "net_tx_bytes", "io_read_bytes", "io_write_bytes", "io_max_scratch_size",
            "io_cur_scratch_size", "cpu_using");
    static final String ISO = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?\\+00:00";
    static final String FORBIDDEN = "Forbidden operation. (You can only request session list for the current access key"
            + " being used.) (You can only request session list for the current access key being used.)";

    private final List<Kernel> created = new ArrayList<>();

    @AfterEach
    void destroyCreated() {
        for (Kernel k : created) {
            try {
                k.destroy();
            } catch (BackendAPIError alreadyGone) {
                // destroyed by the test
            }
        }
    }

    private Kernel create(Session s, String token, String tag) {
        CreateKernelRequest.Builder b = CreateKernelRequest.builder("python").clientToken(token);
        if (tag != null) {
            b.tag(tag);
        }
        Kernel k = s.kernels().getOrCreate(b.build());
        created.add(k);
        server.recordSessionPids();
        return k;
    }

    private static Response post(Session s, Map<String, Object> body) {
        return s.fetch(Request.post("/admin/graphql").jsonBody(body).build());
    }

    static JsonNode gql(Session s, String query, Object... variables) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        if (variables.length > 0) {
            Map<String, Object> vars = new LinkedHashMap<>();
            for (int i = 0; i < variables.length; i += 2) {
                vars.put((String) variables[i], variables[i + 1]);
            }
            body.put("variables", vars);
        }
        Response r = post(s, body);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        return r.json();
    }

    static BackendAPIError gqlError(Session s, String query, Object... variables) {
        try {
            gql(s, query, variables);
        } catch (BackendAPIError e) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.typeName()).isEqualTo("graphql-error");
            assertThat(e.title()).isEqualTo("GraphQL-generated error.");
            assertThat(e.data().get("data").isArray()).isTrue();
            return e;
        }
        throw new AssertionError("expected a graphql-error");
    }

    private static List<String> keys(JsonNode object) {
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            keys.add(it.next());
        }
        return keys;
    }

    private static List<String> sessIds(JsonNode items) {
        List<String> ids = new ArrayList<>();
        items.forEach(i -> ids.add(i.get("sess_id").asText()));
        return ids;
    }

    private JsonNode list(Session s, String query, int limit, int offset, String status, String ak) {
        JsonNode data = gql(s, query, "limit", limit, "offset", offset, "status", status, "ak", ak);
        assertThat(keys(data)).containsExactly("compute_session_list");
        assertThat(keys(data.get("compute_session_list"))).containsExactly("items", "total_count");
        return data.get("compute_session_list");
    }

    @Test
    void sessionListsAsTheCliSendsThem() {
        // this machine may only fit two sessions at once
        String userKey = server.server().userKeypair().accessKey();
        String adminKey = server.server().adminKeypair().accessKey();
        String a = "gql-a-" + System.nanoTime();
        String c = "gql-c-" + System.nanoTime();
        create(user, a, "my-tag");
        create(admin, c, null);

        // admin: every key, newest first, fields in selection order
        JsonNode all = list(admin, LIST_ADMIN, 10, 0, "RUNNING", null);
        assertThat(all.get("total_count").asInt()).isEqualTo(2);
        assertThat(sessIds(all.get("items"))).containsExactly(c, a);
        JsonNode first = all.get("items").get(1);
        assertThat(keys(first)).containsExactlyElementsOf(LIST_ADMIN_FIELDS);
        assertThat(first.get("access_key").asText()).isEqualTo(userKey);
        assertThat(first.get("image").asText()).contains("python");
        assertThat(first.get("tag").asText()).isEqualTo("my-tag");
        assertThat(all.get("items").get(0).get("tag").isNull()).isTrue();
        assertThat(first.get("created_at").asText()).matches(ISO);
        assertThat(first.get("terminated_at").isNull()).isTrue();
        assertThat(first.get("status").asText()).isEqualTo("RUNNING");
        assertThat(first.get("occupied_slots").isTextual()).isTrue();
        assertThat(first.get("occupied_slots").asText()).as("a JSON string inside JSON").isEqualTo("{\"cpu\": \"0.01\", \"mem\": \"268435456\"}");
        assertThat(first.get("mem_cur_bytes").isNumber()).isTrue();
        assertThat(first.get("mem_max_bytes").isNumber()).isTrue();
        assertThat(first.get("cpu_using").isFloatingPointNumber()).isTrue();
        assertThat(all.get("items").get(0).get("access_key").asText()).isEqualTo(adminKey);

        // pagination
        JsonNode page = list(admin, LIST_ADMIN, 1, 0, "RUNNING", null);
        assertThat(sessIds(page.get("items"))).containsExactly(c);
        assertThat(page.get("total_count").asInt()).isEqualTo(2);
        page = list(admin, LIST_ADMIN, 1, 1, "RUNNING", null);
        assertThat(sessIds(page.get("items"))).containsExactly(a);
        assertThat(page.get("total_count").asInt()).isEqualTo(2);
        page = list(admin, LIST_ADMIN, 2, 5, "RUNNING", null);
        assertThat(page.get("items")).isEmpty();
        assertThat(page.get("total_count").asInt()).isEqualTo(2);
        page = list(admin, LIST_ADMIN, 0, 0, "RUNNING", null);
        assertThat(page.get("items")).isEmpty();

        // admin filtering by access key
        assertThat(sessIds(list(admin, LIST_ADMIN, 10, 0, "RUNNING", userKey).get("items"))).containsExactly(a);
        assertThat(sessIds(list(admin, LIST_ADMIN, 10, 0, "RUNNING", "AKIANOSUCHKEY").get("items"))).isEmpty();

        // user: own sessions only; null access_key means the requester's
        JsonNode mine = list(user, LIST_USER, 10, 0, "RUNNING", null);
        assertThat(sessIds(mine.get("items"))).containsExactly(a);
        assertThat(mine.get("total_count").asInt()).isEqualTo(1);
        assertThat(keys(mine.get("items").get(0))).doesNotContain("access_key").hasSize(LIST_ADMIN_FIELDS.size() - 1);
        assertThat(sessIds(list(user, LIST_USER, 10, 0, "RUNNING", userKey).get("items"))).containsExactly(a);

        // user: someone else's key is a resolver error, as the manager words it
        BackendAPIError e = gqlError(user, LIST_USER, "limit", 10, "offset", 0, "status", "RUNNING", "ak", adminKey);
        JsonNode error = e.data().get("data").get(0);
        assertThat(keys(error)).containsExactly("message", "locations", "path");
        assertThat(error.get("message").asText()).isEqualTo(FORBIDDEN);
        assertThat(error.get("locations").toString()).isEqualTo("[{\"line\":2,\"column\":3}]");
        assertThat(error.get("path").toString()).isEqualTo("[\"compute_session_list\"]");
        // the user-schema document with access_key selected is still valid for a user; only the key is checked
        assertThat(list(user, LIST_ADMIN, 10, 0, "RUNNING", null).get("total_count").asInt()).isEqualTo(1);

        // compute_sessions
        JsonNode sessions = gql(admin, "query { compute_sessions { sess_id access_key status } }");
        assertThat(sessIds(sessions.get("compute_sessions"))).containsExactly(c, a);
        sessions = gql(admin, "query($ak: String) { compute_sessions(access_key: $ak) { sess_id } }", "ak", userKey);
        assertThat(sessIds(sessions.get("compute_sessions"))).containsExactly(a);
        sessions = gql(user, "query { compute_sessions { sess_id } }");
        assertThat(sessIds(sessions.get("compute_sessions"))).containsExactly(a);
        assertThatThrownBy(() -> gql(user, "{ compute_sessions(access_key: \"x\") { sess_id } }"))
                .isInstanceOfSatisfying(BackendAPIError.class, err -> assertThat(err.data().get("data").get(0)
                        .get("message").asText()).isEqualTo("Unknown argument \"access_key\" on field "
                        + "\"compute_sessions\" of type \"QueryForUser\"."));
    }

    @Test
    void runningVersusTerminated() {
        String userKey = server.server().userKeypair().accessKey();
        String a = "gql-old-" + System.nanoTime();
        String b = "gql-new-" + System.nanoTime();
        Kernel old = create(user, a, null);
        create(user, b, null);
        old.destroy();

        assertThat(sessIds(list(admin, LIST_ADMIN, 10, 0, "RUNNING", null).get("items"))).containsExactly(b);
        // "ALL" is sent as a null status
        JsonNode all = list(admin, LIST_ADMIN, 10, 0, null, null);
        assertThat(sessIds(all.get("items"))).containsExactly(b, a);
        assertThat(all.get("total_count").asInt()).isEqualTo(2);
        JsonNode terminated = all.get("items").get(1);
        assertThat(terminated.get("status").asText()).isEqualTo("TERMINATED");
        assertThat(terminated.get("terminated_at").asText()).matches(ISO);
        assertThat(terminated.get("mem_cur_bytes").asLong()).isZero();
        assertThat(terminated.get("mem_max_bytes").asLong()).isZero();
        assertThat(terminated.get("cpu_using").asDouble()).isZero();
        JsonNode onlyTerminated = list(user, LIST_USER, 10, 0, "TERMINATED", null);
        assertThat(sessIds(onlyTerminated.get("items"))).containsExactly(a);
        assertThat(onlyTerminated.get("total_count").asInt()).isEqualTo(1);
        assertThat(list(user, LIST_USER, 10, 0, "PREPARING", null).get("total_count").asInt()).isZero();

        // compute_sessions: admins without access_key default to RUNNING; with one, or users, get every status
        assertThat(sessIds(gql(admin, "{ compute_sessions { sess_id } }").get("compute_sessions"))).containsExactly(b);
        assertThat(sessIds(gql(admin, "query($ak: String) { compute_sessions(access_key: $ak) { sess_id } }", "ak",
                userKey).get("compute_sessions"))).containsExactly(b, a);
        assertThat(sessIds(gql(user, "{ compute_sessions { sess_id status } }").get("compute_sessions")))
                .containsExactly(b, a);
        assertThat(sessIds(gql(user, "{ compute_sessions(status: \"TERMINATED\") { sess_id } }")
                .get("compute_sessions"))).containsExactly(a);

        // compute_session only sees RUNNING sessions
        assertAllNull(gql(admin, DETAIL, "sess_id", a).get("compute_session"));
        assertThat(gql(admin, DETAIL, "sess_id", b).get("compute_session").get("sess_id").asText()).isEqualTo(b);

        // an unknown status is the manager's KeyError
        BackendAPIError e = gqlError(admin, LIST_ADMIN, "limit", 10, "offset", 0, "status", "FOO", "ak", null);
        assertThat(e.data().get("data").get(0).get("message").asText()).isEqualTo("'FOO'");
        assertThat(e.data().get("data").get(0).get("path").toString()).isEqualTo("[\"compute_session_list\"]");
    }

    private static void assertAllNull(JsonNode session) {
        assertThat(session.isObject()).isTrue();
        assertThat(keys(session)).containsExactlyElementsOf(DETAIL_FIELDS);
        session.forEach(v -> assertThat(v.isNull()).isTrue());
    }

    @Test
    void sessionDetailAsTheCliSendsIt() {
        String a = "gql-detail-" + System.nanoTime();
        String c = "gql-admins-" + System.nanoTime();
        create(user, a, "t1");
        create(admin, c, null);

        for (Session s : List.of(user, admin)) {
            JsonNode data = gql(s, DETAIL, "sess_id", a);
            assertThat(keys(data)).containsExactly("compute_session");
            JsonNode d = data.get("compute_session");
            assertThat(keys(d)).containsExactlyElementsOf(DETAIL_FIELDS);
            assertThat(d.get("sess_id").asText()).isEqualTo(a);
            assertThat(d.get("role").asText()).isEqualTo("master");
            assertThat(d.get("image").asText()).contains("python");
            assertThat(d.get("tag").asText()).isEqualTo("t1");
            assertThat(d.get("created_at").asText()).matches(ISO);
            assertThat(d.get("terminated_at").isNull()).isTrue();
            assertThat(d.get("agent").asText()).isEqualTo("local");
            assertThat(d.get("status").asText()).isEqualTo("RUNNING");
            assertThat(d.get("occupied_slots").asText()).isEqualTo("{\"cpu\": \"0.01\", \"mem\": \"268435456\"}");
            for (String big : List.of("cpu_used", "mem_cur_bytes", "mem_max_bytes", "num_queries", "net_rx_bytes",
                    "net_tx_bytes", "io_read_bytes", "io_write_bytes", "io_max_scratch_size", "io_cur_scratch_size")) {
                assertThat(d.get(big).isNumber()).as(big).isTrue();
            }
            assertThat(d.get("mem_max_bytes").asLong()).isPositive();
            assertThat(d.get("cpu_using").isFloatingPointNumber()).isTrue();
        }
        // a user cannot see another key's session: the all-null object, as for a missing one
        assertAllNull(gql(user, DETAIL, "sess_id", c).get("compute_session"));
        assertThat(gql(admin, DETAIL, "sess_id", c).get("compute_session").get("sess_id").asText()).isEqualTo(c);
        assertAllNull(gql(admin, DETAIL, "sess_id", "no-such-session").get("compute_session"));

        // extra fields of the shared session type
        JsonNode more = gql(admin, "query($s: String) { compute_session(sess_id: $s) { id image registry lang service_ports "
                + "occupied_shares mem_slot cpu_slot container_id workers { sess_id } } }", "s", a).get("compute_session");
        assertThat(more.get("id").asText()).matches("[0-9a-f-]{36}");
        assertThat(more.get("registry").asText()).isEqualTo("local");
        assertThat(more.get("lang").asText()).isEqualTo(more.get("image").asText());
        assertThat(more.get("mem_slot").asInt()).as("the memory slot in MiB").isEqualTo(256);
        assertThat(more.get("cpu_slot").asDouble()).isEqualTo(0.01);
        assertThat(more.get("cpu_slot").isFloatingPointNumber()).isTrue();
        assertThat(more.get("container_id").isNull()).isTrue();
        assertThat(more.get("service_ports").asText()).isEqualTo("[{\"name\": \"files\", \"protocol\": \"http\","
                + " \"container_port\": 8000, \"host_port\": null}, {\"name\": \"jupyter\", \"protocol\": \"http\","
                + " \"container_port\": 8080, \"host_port\": null}, {\"name\": \"jupyterlab\", \"protocol\": \"http\","
                + " \"container_port\": 8090, \"host_port\": null}]");
        assertThat(more.get("occupied_shares").asText()).isEqualTo("{}");
        assertThat(more.get("workers")).isEmpty();
    }

    @Test
    void errorBodiesAndRequestValidation() {
        // the exact success bytes of the transcript (no session running)
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("limit", 10);
        vars.put("offset", 0);
        vars.put("status", "RUNNING");
        vars.put("ak", null);
        Response r = post(admin, Map.of("query", LIST_ADMIN, "variables", vars));
        assertThat(r.text()).isEqualTo("{\"compute_session_list\": {\"items\": [], \"total_count\": 0}}");
        assertThat(r.header("X-RateLimit-Limit")).isPresent();

        // variables may be omitted
        assertThat(post(user, Map.of("query", "{ compute_sessions { sess_id } }")).text())
                .isEqualTo("{\"compute_sessions\": []}");

        // a validation error, as in the transcript
        String query = "query($limit:Int!, $offset:Int!, $ak:String, $group_id:String, $status:String) {\n"
                + "      compute_session_list(limit:$limit, offset:$offset, access_key:$ak, group_id:$group_id, status:$status) {\n"
                + "        items { sess_id status}\n        total_count\n      }\n    }";
        BackendAPIError e = gqlError(admin, query, "limit", 30, "offset", 0, "status", "RUNNING");
        assertThat(e.data().toString()).isEqualTo("{\"type\":\"https://api.backend.ai/probs/graphql-error\","
                + "\"title\":\"GraphQL-generated error.\",\"data\":[{\"message\":\"Unknown argument \\\"group_id\\\" on "
                + "field \\\"compute_session_list\\\" of type \\\"QueryForAdmin\\\".\",\"locations\":[{\"line\":2,\"column\":74}]}]}");

        // root fields that are not served yet do not exist
        e = gqlError(user, "query {  domains {    name  }}");
        assertThat(e.data().get("data").get(0).get("message").asText())
                .isEqualTo("Cannot query field \"domains\" on type \"QueryForUser\".");

        // mutations, as the transcript's user mutation
        e = gqlError(user, "mutation($alias: String!) {  dealias_image(alias: $alias) {   ok msg  }}", "alias", "x");
        assertThat(e.data().get("data").toString()).isEqualTo("[{\"message\":\"Schema is not configured for mutations\"}]");

        // malformed requests (§3.5)
        assertInvalid(() -> admin.fetch(Request.post("/admin/graphql").textBody("{not json").build()),
                "Malformed request body.");
        assertInvalid(() -> post(admin, Map.of("variables", Map.of())), "The request must have \"query\" JSON field.");
        assertInvalid(() -> post(admin, Map.of("query", 5)), "The \"query\" field must be a JSON string.");
        assertInvalid(() -> post(admin, Map.of("query", "{ compute_sessions { sess_id } }", "variables", List.of())),
                "The \"variables\" field must be an JSON object or null.");
    }

    private static void assertInvalid(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(BackendAPIError.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.typeName()).isEqualTo("invalid-api-params");
            assertThat(e.title()).isEqualTo("Missing or invalid API parameters. (" + message + ")");
        });
    }
}
