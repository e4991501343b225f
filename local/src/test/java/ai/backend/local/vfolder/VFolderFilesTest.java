package ai.backend.local.vfolder;

import static ai.backend.local.vfolder.VFolderTestSupport.badParams;
import static ai.backend.local.vfolder.VFolderTestSupport.create;
import static ai.backend.local.vfolder.VFolderTestSupport.entries;
import static ai.backend.local.vfolder.VFolderTestSupport.error;
import static ai.backend.local.vfolder.VFolderTestSupport.sql;
import static ai.backend.local.vfolder.VFolderTestSupport.upload;
import static org.assertj.core.api.Assertions.assertThat;

import ai.backend.client.BackendAPIError;
import ai.backend.client.Request;
import ai.backend.client.Response;
import ai.backend.client.Session;
import ai.backend.client.internal.HttpEngine;
import ai.backend.client.internal.Json;
import ai.backend.client.internal.MultipartMixedReader;
import ai.backend.client.vfolder.FileEntry;
import ai.backend.local.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files inside folders (protocol §3.3.7–3.3.12): transfers, listings and path confinement. */
class VFolderFilesTest {
    private static TestServer server;
    private static Session user;
    private static int counter;
    private String folder;
    private Path dir;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        user = new Session(server.userConfig());
        sql(server, "UPDATE keypair_resource_policies SET max_vfolder_count = 0");
    }

    @AfterAll
    static void stop() {
        user.close();
        server.close();
    }

    @BeforeEach
    void newFolder() {
        folder = "files" + (++counter);
        create(user, folder);
        dir = VFolderTestSupport.dir(server, user, folder);
    }

    @AfterEach
    void deleteFolder() {
        user.fetch(Request.delete("/folders/" + folder).build());
    }

    private Response mkdir(String path) {
        return user.fetch(Request.post("/folders/" + folder + "/mkdir").jsonBody(Map.of("path", path)).build());
    }

    private Response deleteFiles(List<String> files, boolean recursive) {
        return user.fetch(Request.delete("/folders/" + folder + "/delete_files")
                .jsonBody(Map.of("files", files, "recursive", recursive)).build());
    }

    private Response download(List<String> files) {
        return user.fetch(Request.get("/folders/" + folder + "/download").jsonBody(Map.of("files", files)).build());
    }

    private Response downloadSingle(String file) {
        return user.fetch(Request.get("/folders/" + folder + "/download_single").queryParam("file", file).build());
    }

    private Response listFiles(String path) {
        return user.fetch(Request.get("/folders/" + folder + "/files").jsonBody(Map.of("path", path)).build());
    }

    private static List<FileEntry> parseFiles(Response r) {
        return ai.backend.client.vfolder.VFolders.parseFiles(r.json());
    }

    @Test
    void mkdirCreatesParentsAndRefusesFilesOnTheWay(@TempDir Path tmp) throws Exception {
        Response r = mkdir("a/b/c");
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.bytes()).isEmpty();
        assertThat(dir.resolve("a/b/c")).isDirectory();
        assertThat(mkdir("a/b").status()).as("an existing directory is fine").isEqualTo(201);
        upload(user, folder, "a/file.txt", "x", tmp);
        badParams(() -> mkdir("a/file.txt/sub"), "\"a/file.txt\" already exists and is not a directory.");
        badParams(() -> mkdir("a/file.txt"), "\"a/file.txt\" already exists and is not a directory.");
        badParams(() -> user.fetch(Request.post("/folders/" + folder + "/mkdir").jsonBody(Map.of()).build()),
                "path is missing or empty!");
    }

    @Test
    void uploadWritesFilesUnderTheirPathsAllOrNothing(@TempDir Path tmp) throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("top.txt", "top".getBytes(StandardCharsets.UTF_8));
        files.put("sub dir/n\u00e9e.txt", "accent".getBytes(StandardCharsets.UTF_8));
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new Random(3).nextBytes(big);
        files.put("big.bin", big);
        Response r = upload(user, folder, files, tmp);
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.bytes()).isEmpty();
        assertThat(dir.resolve("top.txt")).hasContent("top");
        assertThat(dir.resolve("sub dir/n\u00e9e.txt")).hasContent("accent");
        assertThat(Files.readAllBytes(dir.resolve("big.bin"))).isEqualTo(big);
        // overwrite
        upload(user, folder, "top.txt", "new top", tmp);
        assertThat(dir.resolve("top.txt")).hasContent("new top");

        Map<String, byte[]> eleven = new LinkedHashMap<>();
        for (int i = 0; i < 11; i++) {
            eleven.put("many" + i + ".txt", new byte[] {'x'});
        }
        badParams(() -> upload(user, folder, eleven, tmp), "Too many files!");
        badParams(() -> upload(user, folder, "sub dir", "x", tmp),
                "Cannot overwrite \"sub dir\" because it already exists and not a regular file.");
        Map<String, byte[]> mixed = new LinkedHashMap<>();
        mixed.put("fine.txt", new byte[] {'f'});
        mixed.put("top.txt/child.txt", new byte[] {'c'});
        badParams(() -> upload(user, folder, mixed, tmp),
                "Failed to create parent directories. \"top.txt\" already exists and is not a directory.");
        assertThat(entries(dir)).containsExactly("big.bin", "sub dir", "top.txt");
        assertThat(entries(server.server().dataDir().resolve("tmp/vfolder-uploads"))).isEmpty();
    }

    @Test
    void theFolderSizeLimitIsEnforcedInKiB(@TempDir Path tmp) throws Exception {
        sql(server, "UPDATE keypair_resource_policies SET max_vfolder_size = 4");
        try {
            upload(user, folder, Map.of("a.bin", new byte[3000]), tmp);
            BackendAPIError e = badParams(() -> upload(user, folder, Map.of("b.bin", new byte[1500]), tmp), null);
            assertThat(e.message()).contains("max_vfolder_size 4 KiB");
            // replacing a file counts only the difference
            upload(user, folder, Map.of("a.bin", new byte[4096]), tmp);
            assertThat(entries(dir)).containsExactly("a.bin");
            assertThat(Files.size(dir.resolve("a.bin"))).isEqualTo(4096);
        } finally {
            sql(server, "UPDATE keypair_resource_policies SET max_vfolder_size = 0");
        }
    }

    @Test
    void anInterruptedUploadLeavesNothingBehind(@TempDir Path tmp) throws Exception {
        Path spool = server.server().dataDir().resolve("tmp/vfolder-uploads");
        Request signed = Request.post("/folders/" + folder + "/upload").bytesBody(new byte[0], "multipart/form-data").build();
        String[] headers = user.engine().signedHeaders(signed, false);
        URI uri = user.engine().uri(signed, "http");
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            StringBuilder head = new StringBuilder("POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: "
                    + HttpEngine.hostHeader(uri) + "\r\n");
            for (int i = 0; i < headers.length; i += 2) {
                head.append(headers[i]).append(": ")
                        .append(headers[i].equals("Content-Type") ? "multipart/form-data; boundary=b" : headers[i + 1]).append("\r\n");
            }
            head.append("Content-Length: 10000000\r\n\r\n");
            head.append("--b\r\nContent-Disposition: form-data; name=\"src\"; filename=\"first.txt\"\r\n\r\nwhole\r\n");
            head.append("--b\r\nContent-Disposition: form-data; name=\"src\"; filename=\"partial.bin\"\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            out.write(new byte[300 * 1024]);
            out.flush();
            // the upload is in progress: its parts are being spooled (outside the folder)
            long started = System.currentTimeMillis() + 10_000;
            while (entries(spool).length == 0 && System.currentTimeMillis() < started) {
                Thread.sleep(20);
            }
            assertThat(entries(spool)).as("the upload started").isNotEmpty();
            Thread.sleep(200);
            assertThat(entries(dir)).as("nothing is in the folder while the body is incomplete").isEmpty();
        }
        long deadline = System.currentTimeMillis() + 10_000;
        while (entries(spool).length > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(entries(spool)).as("spooled parts are removed").isEmpty();
        assertThat(entries(dir)).as("nothing reached the folder").isEmpty();
        assertThat(parseFiles(listFiles("."))).isEmpty();
        // the folder still works
        assertThat(upload(user, folder, "after.txt", "fine", tmp).status()).isEqualTo(201);
        assertThat(entries(dir)).containsExactly("after.txt");
    }

    @Test
    void deleteFilesHonoursTheRecursiveFlag(@TempDir Path tmp) throws Exception {
        upload(user, folder, Map.of("d/x.txt", new byte[] {1}, "f.txt", new byte[] {2}), tmp);
        badParams(() -> deleteFiles(List.of("d"), false), "\"d\" is a directory. Set recursive option to remove it.");
        assertThat(dir.resolve("d/x.txt")).exists();
        Response r = deleteFiles(List.of("f.txt", "missing.txt"), false);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("{}");
        assertThat(dir.resolve("f.txt")).doesNotExist();
        deleteFiles(List.of("d"), true);
        assertThat(entries(dir)).isEmpty();
        badParams(() -> deleteFiles(List.of(), false), "files must be a non-empty list of file paths.");
        badParams(() -> deleteFiles(List.of("."), true), "Cannot delete the root of the virtual folder: .");
        assertThat(dir).isDirectory();
    }

    @Test
    void downloadSendsOneGzipPartPerFileByteExact(@TempDir Path tmp) throws Exception {
        byte[] crlf = "line one\r\nline two\r\n\r\nend".getBytes(StandardCharsets.UTF_8);
        byte[] binary = new byte[700 * 1024 + 3];
        new Random(11).nextBytes(binary);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("hello.txt", "hello peer\n".getBytes(StandardCharsets.UTF_8));
        files.put("docs/crlf.txt", crlf);
        files.put("bin/random.dat", binary);
        files.put("r\u00e9sum\u00e9 1.bin", new byte[] {0, 1, 2});
        upload(user, folder, files, tmp);

        HttpResponse<InputStream> resp = user.engine().sendForStream(Request.get("/folders/" + folder + "/download")
                .jsonBody(Map.of("files", List.of("hello.txt", "docs/crlf.txt", "bin/random.dat", "r\u00e9sum\u00e9 1.bin"))).build());
        assertThat(resp.statusCode()).isEqualTo(200);
        String contentType = resp.headers().firstValue("Content-Type").orElseThrow();
        assertThat(contentType).matches("multipart/mixed; boundary=[0-9a-f]{32}");
        assertThat(resp.headers().firstValue("X-TOTAL-PAYLOADS-LENGTH")).hasValue(
                Long.toString(11 + crlf.length + binary.length + 3));
        assertThat(resp.headers().firstValue("Content-Length")).isEmpty();
        assertThat(resp.headers().firstValue("Content-Encoding")).isEmpty();
        List<String[]> heads = new ArrayList<>();
        List<byte[]> raw = new ArrayList<>();
        try (InputStream body = resp.body()) {
            MultipartMixedReader reader = new MultipartMixedReader(body, MultipartMixedReader.boundary(contentType));
            for (MultipartMixedReader.Part p = reader.next(); p != null; p = reader.next()) {
                assertThat(p.headers().keySet()).containsExactly("content-type", "content-encoding", "content-disposition");
                heads.add(new String[] {p.header("Content-Type"), p.header("Content-Encoding"), p.header("Content-Disposition")});
                raw.add(p.content().readAllBytes());
            }
        }
        assertThat(heads).hasSize(4);
        assertThat(heads.get(0)).containsExactly("text/plain", "gzip", "attachment; filename=\"hello.txt\"");
        assertThat(heads.get(1)).containsExactly("text/plain", "gzip", "attachment; filename=\"crlf.txt\"");
        assertThat(heads.get(2)[2]).isEqualTo("attachment; filename=\"random.dat\"");
        assertThat(heads.get(3)[2]).isEqualTo("attachment; filename=\"r%C3%A9sum%C3%A9%201.bin\"; "
                + "filename*=utf-8''r%C3%A9sum%C3%A9%201.bin");
        // the same gzip stream the 19.03.5 manager sent for this file (transcript)
        assertThat(HexFormat.of().formatHex(raw.get(0))).isEqualTo("1f8b0800000000000003cb48cdc9c9572848"
                + "4d2de2020084ebf5b70b000000");
        assertThat(gunzip(raw.get(1))).isEqualTo(crlf);
        assertThat(gunzip(raw.get(2))).isEqualTo(binary);
        assertThat(gunzip(raw.get(3))).isEqualTo(new byte[] {0, 1, 2});

        // the SDK saves them under their base names
        Path dest = tmp.resolve("dest");
        List<Path> saved = user.vfolders().download(folder, List.of("docs/crlf.txt", "bin/random.dat"), dest,
                ai.backend.client.TransferListener.NONE);
        assertThat(saved).extracting(p -> p.getFileName().toString()).containsExactly("crlf.txt", "random.dat");
        assertThat(Files.readAllBytes(dest.resolve("crlf.txt"))).isEqualTo(crlf);
        assertThat(Files.readAllBytes(dest.resolve("random.dat"))).isEqualTo(binary);

        BackendAPIError missing = badParams(() -> download(List.of("hello.txt", "nope.txt")),
                "You cannot download \"nope.txt\" because it is not a regular file.");
        assertThat(missing.title()).isEqualTo("Missing or invalid API parameters. (You cannot download \"nope.txt\" because it"
                + " is not a regular file.)");
        badParams(() -> download(List.of("docs")), "You cannot download \"docs\" because it is not a regular file.");
        badParams(() -> download(List.of()), "files must be a non-empty list of file paths.");
    }

    private static byte[] gunzip(byte[] gz) throws Exception {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    @Test
    void downloadSingleSendsRawBytesWithRanges(@TempDir Path tmp) throws Exception {
        byte[] data = new byte[10_000];
        new Random(5).nextBytes(data);
        upload(user, folder, Map.of("d/data.bin", data, "note.txt", "note".getBytes(StandardCharsets.UTF_8)), tmp);
        Response r = downloadSingle("d/data.bin");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bytes()).isEqualTo(data);
        assertThat(r.header("Content-Type")).hasValue("application/octet-stream");
        assertThat(r.header("Accept-Ranges")).hasValue("bytes");
        Response text = user.fetch(Request.get("/folders/" + folder + "/download_single")
                .jsonBody(Map.of("file", "note.txt")).build());
        assertThat(text.text()).isEqualTo("note");
        assertThat(text.header("Content-Type").orElseThrow()).startsWith("text/plain");

        var engine = user.engine();
        Request req = Request.get("/folders/" + folder + "/download_single").queryParam("file", "d/data.bin").build();
        String[] headers = engine.signedHeaders(req, false);
        var partial = engine.httpClient().send(java.net.http.HttpRequest.newBuilder(engine.uri(req, "http"))
                .headers(headers).header("Range", "bytes=100-199").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(partial.statusCode()).isEqualTo(206);
        assertThat(partial.headers().firstValue("Content-Range")).hasValue("bytes 100-199/10000");
        assertThat(partial.body()).isEqualTo(java.util.Arrays.copyOfRange(data, 100, 200));

        // never compressed again as a whole, even when the client accepts gzip (as the Python client does)
        Request multi = Request.get("/folders/" + folder + "/download").jsonBody(Map.of("files", List.of("d/data.bin"))).build();
        for (Request r2 : List.of(req, multi)) {
            String[] h2 = engine.signedHeaders(r2, false);
            var plain = engine.httpClient().send(java.net.http.HttpRequest.newBuilder(engine.uri(r2, "http")).headers(h2)
                    .header("Accept-Encoding", "gzip, deflate")
                    .method("GET", java.net.http.HttpRequest.BodyPublishers.ofByteArray(r2.body())).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(plain.statusCode()).isEqualTo(200);
            assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        }

        badParams(() -> downloadSingle("nope.bin"), "The file is not found.");
        badParams(() -> downloadSingle("d"), "The file is not a regular file.");
        badParams(() -> user.fetch(Request.get("/folders/" + folder + "/download_single").build()), "file is missing or empty!");
    }

    @Test
    void listFilesAnswersAJsonStringInsideJsonForBothForms(@TempDir Path tmp) throws Exception {
        upload(user, folder, Map.of("a.txt", "12345".getBytes(StandardCharsets.UTF_8), "sub/b.txt", new byte[] {1}), tmp);
        Response r = listFiles(".");
        assertThat(r.status()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.get("files").isTextual()).isTrue();
        assertThat(body.size()).isEqualTo(1);
        JsonNode list = Json.parse(body.get("files").asText());
        assertThat(list).hasSize(2);
        JsonNode a = list.get(0);
        assertThat(a.fieldNames()).toIterable().containsExactly("mode", "size", "ctime", "mtime", "atime", "filename");
        assertThat(a.get("filename").asText()).isEqualTo("a.txt");
        assertThat(a.get("size").asLong()).isEqualTo(5);
        assertThat(a.get("mode").asText()).matches("-rw[-x][-r][-w][-xs][-r][-w][-xt]");
        assertThat(a.get("mtime").isNumber()).isTrue();
        assertThat(body.get("files").asText()).matches("\\[\\{\"mode\": \"-rw.*\", \"size\": 5, \"ctime\": \\d+\\.\\d+, .*");
        assertThat(list.get(1).get("mode").asText()).startsWith("d");
        // ?path= instead of a body
        Response q = user.fetch(Request.get("/folders/" + folder + "/files").queryParam("path", "sub").build());
        assertThat(parseFiles(q)).extracting(FileEntry::filename).containsExactly("b.txt");
        assertThat(parseFiles(user.fetch(Request.get("/folders/" + folder + "/files").build())))
                .extracting(FileEntry::filename).containsExactly("a.txt", "sub");
        BackendAPIError missing = error(() -> listFiles("nothere"));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.data().toString()).isEqualTo("{\"error_msg\":\"No such file or directory\"}");
        assertThat(error(() -> listFiles("a.txt")).data().toString()).isEqualTo("{\"error_msg\":\"Not a directory\"}");
    }

    @Test
    void pathsLeavingTheFolderAreRefusedEverywhere(@TempDir Path tmp) throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(dir.resolve("out"), outside);
        Files.createSymbolicLink(dir.resolve("secret-link"), outside.resolve("secret.txt"));
        Files.createDirectories(dir.resolve("in"));
        Files.writeString(dir.resolve("in/ok.txt"), "ok");
        Files.createSymbolicLink(dir.resolve("inlink"), dir.resolve("in"));
        Path hostDir = dir.getParent();
        String[] hostBefore = entries(hostDir);
        String absOutside = outside.resolve("abs.txt").toString();

        for (String p : new String[] {"../x", "/etc/passwd", "out/x", "out", "a/../../x", absOutside}) {
            badParams(() -> mkdir(p), null);
        }
        for (String p : new String[] {"../x.txt", absOutside, "out/evil.txt", "in/../../evil.txt"}) {
            badParams(() -> upload(user, folder, p, "evil", tmp), null);
        }
        badParams(() -> upload(user, folder, "secret-link", "overwrite", tmp), null);
        for (String p : new String[] {"../" + dir.getFileName(), outside.resolve("secret.txt").toString(), "out/secret.txt"}) {
            badParams(() -> deleteFiles(List.of(p), true), null);
        }
        for (String p : new String[] {"../x", "/etc/passwd", "out/secret.txt", "secret-link"}) {
            badParams(() -> download(List.of(p)), null);
            badParams(() -> downloadSingle(p), "The file is not found.");
        }
        for (String p : new String[] {"..", "/etc", "out", "../../.."}) {
            BackendAPIError e = error(() -> listFiles(p));
            assertThat(e.status()).as(p).isEqualTo(404);
            assertThat(e.data().toString()).isEqualTo("{\"error_msg\":\"No such file or directory\"}");
            BackendAPIError q = error(() -> user.fetch(Request.get("/folders/" + folder + "/files").queryParam("path", p).build()));
            assertThat(q.status()).isEqualTo(404);
        }
        assertThat(outside.resolve("secret.txt")).hasContent("secret");
        assertThat(entries(outside)).containsExactly("secret.txt");
        assertThat(entries(hostDir)).containsExactly(hostBefore);

        // links that stay inside work; a link itself can be deleted without touching its target
        assertThat(downloadSingle("inlink/ok.txt").text()).isEqualTo("ok");
        assertThat(parseFiles(listFiles("inlink"))).extracting(FileEntry::filename).containsExactly("ok.txt");
        deleteFiles(List.of("out", "secret-link"), false);
        assertThat(Files.exists(dir.resolve("out"), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(outside.resolve("secret.txt")).hasContent("secret");
    }

    @Test
    void leftoversOfAnEarlierRunAreRemovedAtStart(@TempDir Path data) throws Exception {
        Path spooled = Files.createDirectories(data.resolve("tmp/vfolder-uploads/upload-123"));
        Files.writeString(spooled.resolve("part"), "half");
        Path trash = Files.createDirectories(data.resolve("vfolders/local/.deleted-0123"));
        Files.writeString(trash.resolve("old.txt"), "old");
        Path kept = Files.createDirectories(data.resolve("vfolders/local/0123"));
        new VFolderApi(server.server().database(), data);
        assertThat(entries(data.resolve("tmp/vfolder-uploads"))).isEmpty();
        assertThat(entries(data.resolve("vfolders/local"))).containsExactly("0123");
        assertThat(kept).isDirectory();
    }
}
