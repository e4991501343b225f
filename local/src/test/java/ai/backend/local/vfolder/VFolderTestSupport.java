package ai.backend.local.vfolder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ai.backend.client.BackendAPIError;
import ai.backend.client.Request;
import ai.backend.client.Response;
import ai.backend.client.Session;
import ai.backend.client.internal.MultipartBody;
import ai.backend.local.TestServer;
import ai.backend.local.store.Database;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert;

/** Helpers shared by the virtual folder tests: raw requests through the SDK and checks of error bodies. */
final class VFolderTestSupport {
    private VFolderTestSupport() {
    }

    /** Runs SQL on the server's database (policy changes). */
    static void sql(TestServer server, String statement) {
        Database db = server.server().database();
        synchronized (db) {
            try (Statement st = db.connection().createStatement()) {
                st.executeUpdate(statement);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static Response create(Session s, String name) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("host", "local");
        return s.fetch(Request.post("/folders").jsonBody(body).build());
    }

    /** The folder's directory on disk, from its REST id. */
    static Path dir(TestServer server, Session s, String name) {
        String id = s.fetch(Request.get("/folders/" + name).build()).json().get("id").asText();
        return server.server().dataDir().resolve("vfolders").resolve("local").resolve(id);
    }

    /** Uploads files given as name → content with the SDK's multipart writer (parts {@code src}). */
    static Response upload(Session s, String folder, Map<String, byte[]> files, Path tmp) throws Exception {
        MultipartBody body = new MultipartBody();
        int i = 0;
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Path f = Files.write(tmp.resolve("part-" + (i++) + "-" + System.nanoTime()), e.getValue());
            body.addFile("src", e.getKey(), f);
        }
        return s.engine().sendMultipart(Request.post("/folders/" + folder + "/upload").build(), body);
    }

    static Response upload(Session s, String folder, String name, String content, Path tmp) throws Exception {
        return upload(s, folder, Map.of(name, content.getBytes(StandardCharsets.UTF_8)), tmp);
    }

    /** The API error {@code call} raises. */
    static BackendAPIError error(ThrowableAssert.ThrowingCallable call) {
        BackendAPIError e = catchThrowableOfType(call, BackendAPIError.class);
        assertThat(e).as("a BackendAPIError").isNotNull();
        return e;
    }

    /** Asserts a problem+json error of the given status, type and appended message (null: no check). */
    static BackendAPIError problem(ThrowableAssert.ThrowingCallable call, int status, String type, String message) {
        BackendAPIError e = error(call);
        assertThat(e.status()).as("status of %s", e.getMessage()).isEqualTo(status);
        assertThat(e.typeName()).as("type of %s", e.getMessage()).isEqualTo(type);
        if (message != null) {
            assertThat(e.message()).isEqualTo(message);
        }
        return e;
    }

    static BackendAPIError notFound(ThrowableAssert.ThrowingCallable call) {
        BackendAPIError e = problem(call, 404, "vfolder-not-found", "Your operation may be permission denied.");
        assertThat(e.title()).isEqualTo("No such virtual folder. (Your operation may be permission denied.)");
        return e;
    }

    static BackendAPIError badParams(ThrowableAssert.ThrowingCallable call, String message) {
        return problem(call, 400, "invalid-api-params", message);
    }

    static List<String> names(JsonNode list) {
        return java.util.stream.StreamSupport.stream(list.spliterator(), false).map(n -> n.get("name").asText()).toList();
    }

    static String[] entries(Path dir) throws java.io.IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }
}
