package ai.backend.local.api;

import ai.backend.client.internal.Json;
import ai.backend.local.agent.Agent;
import ai.backend.local.agent.LocalKernel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A session's files: download (one tar archive per path, multipart/mixed, protocol §3.2.10) and list files
 * (§3.2.11). Paths are relative to the working directory or start with {@code /home/work}, the working
 * directory's name inside a real container; nothing outside it is read.
 */
public final class SessionFilesApi {
    static final String CONTAINER_HOME = "/home/work";

    private final Agent agent;
    private final ai.backend.local.SessionFileLimits limits;

    public SessionFilesApi(Agent agent, ai.backend.local.SessionFileLimits limits) {
        this.agent = agent;
        this.limits = limits;
    }

    private LocalKernel lookup(ApiContext api) {
        return agent.find(KernelApi.ownerAccessKey(api), api.pathParam("sess")).orElseThrow(Problem::kernelNotFound);
    }

    /** Maps a container path ({@code /home/work/x} or relative {@code x}) into the working directory; null outside. */
    static Path resolve(Path workDir, String path) {
        String rel = path;
        if (rel.equals(CONTAINER_HOME) || rel.startsWith(CONTAINER_HOME + "/")) {
            rel = rel.substring(CONTAINER_HOME.length());
            rel = rel.startsWith("/") ? rel.substring(1) : rel;
        } else if (rel.startsWith("/")) {
            return null;
        }
        Path root = workDir.toAbsolutePath().normalize();
        Path target = root.resolve(rel.isEmpty() ? "." : rel).normalize();
        if (!target.startsWith(root)) {
            return null;
        }
        try {
            if (Files.exists(target) && !target.toRealPath().startsWith(root.toRealPath())) {
                return null;
            }
        } catch (IOException e) {
            return null;
        }
        return target;
    }

    private static String containerPath(Path workDir, Path p) {
        String rel = workDir.toAbsolutePath().normalize().relativize(p).toString();
        return rel.isEmpty() ? CONTAINER_HOME : CONTAINER_HOME + "/" + rel;
    }

    /** {@code GET /kernel/{sess}/download} with {@code {"files": [...]}}. */
    public void download(ApiContext api) throws IOException {
        LocalKernel kernel = lookup(api);
        JsonNode body = api.jsonBody("no file(s) specified!");
        JsonNode files = body.path("files");
        if (!files.isArray() || files.isEmpty()) {
            throw Problem.invalidApiParams("no file(s) specified!");
        }
        if (files.size() > limits.maxDownloadFiles()) {
            throw Problem.invalidApiParams("Too many files (at most " + limits.maxDownloadFiles() + " per download)");
        }
        List<byte[]> archives = new ArrayList<>();
        for (JsonNode f : files) {
            Path p = resolve(kernel.workDir(), f.asText());
            if (p == null) {
                throw Problem.invalidApiParams("Invalid file path (outside of the working directory): " + f.asText());
            }
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                throw fileNotFound(containerPath(kernel.workDir(), p));
            }
            try {
                archives.add(TarWriter.archive(p, limits.maxArchiveBytes()));
            } catch (IOException e) {
                throw Problem.invalidApiParams("Too large file: " + f.asText() + " (" + e.getMessage() + ")");
            }
        }
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String boundary = HexFormat.of().formatHex(random);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] tar : archives) {
            out.writeBytes(("--" + boundary + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + tar.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(tar);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        api.ctx().status(200).contentType("multipart/mixed; boundary=" + boundary).result(out.toByteArray());
    }

    private static Problem fileNotFound(String path) {
        ObjectNode details = Json.MAPPER.createObjectNode();
        details.put("type", Problem.PREFIX + "agent-failure");
        details.put("title", "Agent-side exception occurred.");
        details.put("exception", "FileNotFoundError('Could not found the file: " + path + "')");
        return Problem.agentFailure("kernel-execution-failed", "Executing user code in the kernel has failed.", details);
    }

    /** {@code GET /kernel/{sess}/files} with {@code {"path": "..."}}: the answer is not wrapped in {@code result}. */
    public void listFiles(ApiContext api) throws IOException {
        LocalKernel kernel = lookup(api);
        String path = ".";
        byte[] raw = api.ctx().bodyAsBytes();
        if (raw.length > 0) {
            JsonNode body;
            try {
                body = Json.parse(raw);
            } catch (IOException e) {
                throw Problem.invalidApiParams("Malformed request body");
            }
            if (body != null && body.hasNonNull("path")) {
                path = body.get("path").asText();
            }
        } else if (api.queryParam("path") != null) {
            path = api.queryParam("path");
        }
        Path dir = resolve(kernel.workDir(), path);
        Map<String, Object> out = new LinkedHashMap<>();
        if (dir == null || !Files.exists(dir)) {
            out.put("files", "");
            out.put("errors", "No such file or directory");
            api.json(200, out);
            return;
        }
        ArrayNode entries = Json.MAPPER.createArrayNode();
        List<Path> children = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (var list = Files.list(dir)) {
                list.sorted().forEach(children::add);
            }
        } else {
            children.add(dir);
        }
        for (Path p : children) {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            ObjectNode e = entries.addObject();
            String perms;
            try {
                perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
            } catch (UnsupportedOperationException ex) {
                perms = "rw-r--r--";
            }
            e.put("mode", (a.isDirectory() ? "d" : a.isSymbolicLink() ? "l" : "-") + perms);
            e.put("size", a.size());
            e.put("ctime", a.creationTime().toMillis() / 1000.0);
            e.put("mtime", a.lastModifiedTime().toMillis() / 1000.0);
            e.put("atime", a.lastAccessTime().toMillis() / 1000.0);
            e.put("filename", p.getFileName().toString());
        }
        out.put("files", Json.pythonDumps(entries));
        out.put("errors", "");
        out.put("abspath", containerPath(kernel.workDir(), dir) + (Files.isDirectory(dir) ? "/" : "") + "\n");
        api.json(200, out);
    }
}
