package ai.backend.client.vfolder;

import ai.backend.client.BackendClientError;
import ai.backend.client.Request;
import ai.backend.client.Response;
import ai.backend.client.TransferListener;
import ai.backend.client.internal.HttpEngine;
import ai.backend.client.internal.Json;
import ai.backend.client.internal.MultipartBody;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The virtual folder functions of a blocking {@code Session}: {@code session.vfolders()} (protocol §3.3).
 * Every call blocks up to the connect plus read timeout for the answer to start; transfers stream to and
 * from disk, so memory does not grow with file size, and a download is moved into place only when whole.
 */
public final class VFolders {
    /** The names the manager accepts. */
    public static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9]([a-zA-Z0-9._-]*[a-zA-Z0-9])?$");

    private final HttpEngine engine;

    public VFolders(HttpEngine engine) {
        this.engine = engine;
    }

    private static String path(String name, String suffix) {
        return "/folders/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20") + suffix;
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Invalid virtual folder name: '" + name
                    + "' (letters, digits, '.', '_' and '-', starting and ending with a letter or digit)");
        }
    }

    /**
     * Creates a folder on {@code host} (null: the server's default host).
     *
     * @throws IllegalArgumentException for a name the manager would refuse
     */
    public VFolderInfo create(String name, String host) {
        checkName(name);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("host", host);
        return VFolderInfo.fromJson(engine.send(Request.post("/folders").jsonBody(body).build()).json());
    }

    /** The caller's folders, owned first, then shared ones. */
    public List<VFolderInfo> list() {
        List<VFolderInfo> list = new ArrayList<>();
        for (JsonNode n : engine.send(Request.get("/folders").build()).json()) {
            list.add(VFolderInfo.fromJson(n));
        }
        return list;
    }

    public VFolderHosts listHosts() {
        JsonNode n = engine.send(Request.get("/folders/_/hosts").build()).json();
        List<String> allowed = new ArrayList<>();
        n.path("allowed").forEach(h -> allowed.add(h.asText()));
        return new VFolderHosts(n.hasNonNull("default") ? n.get("default").asText() : null, allowed);
    }

    public VFolderInfo info(String name) {
        return VFolderInfo.fromJson(engine.send(Request.get(path(name, "")).build()).json());
    }

    /** Deletes the folder and its files (owner only). */
    public void delete(String name) {
        engine.send(Request.delete(path(name, "")).build());
    }

    public void rename(String name, String newName) {
        checkName(newName);
        engine.send(Request.post(path(name, "/rename")).jsonBody(Map.of("new_name", newName)).build());
    }

    /** Creates a directory (and its parents) inside the folder. */
    public void mkdir(String name, String dir) {
        engine.send(Request.post(path(name, "/mkdir")).jsonBody(Map.of("path", dir)).build());
    }

    /**
     * Uploads files under their paths relative to {@code baseDir} (directories are walked), streamed from
     * disk, at most 10 files per request as the manager allows (more are sent in several requests).
     *
     * @throws IllegalArgumentException when a file is not inside {@code baseDir}
     */
    public void upload(String name, List<Path> files, Path baseDir, TransferListener listener) {
        Path base = baseDir.toAbsolutePath().normalize();
        List<Path> all = expand(files, base);
        for (int from = 0; from < all.size(); from += 10) {
            MultipartBody body = new MultipartBody();
            for (Path f : all.subList(from, Math.min(all.size(), from + 10))) {
                String rel = base.relativize(f).toString().replace(java.io.File.separatorChar, '/');
                try {
                    body.addFile("src", rel, f, listener);
                } catch (FileNotFoundException e) {
                    throw new BackendClientError("Cannot read " + f + ": " + e.getMessage(), e);
                }
            }
            engine.sendMultipart(Request.post(path(name, "/upload")).build(), body);
        }
    }

    /** Regular files of {@code files}, directories walked, each checked to lie inside {@code base}. */
    public static List<Path> expand(List<Path> files, Path base) {
        List<Path> all = new ArrayList<>();
        for (Path f : files) {
            Path abs = f.toAbsolutePath().normalize();
            if (!abs.startsWith(base) || abs.equals(base) && !Files.isDirectory(abs)) {
                throw new IllegalArgumentException("File \"" + f + "\" is outside of the base directory \"" + base + "\".");
            }
            if (Files.isDirectory(abs)) {
                try (var walk = Files.walk(abs)) {
                    walk.filter(Files::isRegularFile).sorted().forEach(all::add);
                } catch (IOException e) {
                    throw new BackendClientError("Cannot read " + f + ": " + e.getMessage(), e);
                }
            } else if (Files.isRegularFile(abs)) {
                all.add(abs);
            } else {
                throw new BackendClientError("No such file: " + f);
            }
        }
        return all;
    }

    /** Deletes files (and directories when {@code recursive}) from the folder. */
    public void deleteFiles(String name, List<String> files, boolean recursive) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("files", files);
        body.put("recursive", recursive);
        engine.send(Request.delete(path(name, "/delete_files")).jsonBody(body).build());
    }

    /**
     * Downloads files into {@code destDir} under their base names (as the manager sends them), streamed and
     * decompressed on the fly; each appears only when complete.
     *
     * @return the files written
     */
    public List<Path> download(String name, List<String> files, Path destDir, TransferListener listener) {
        var response = engine.sendForStream(Request.get(path(name, "/download")).jsonBody(Map.of("files", files)).build());
        return Transfers.saveParts(response, destDir, listener);
    }

    /** The entries of a directory of the folder ({@code "."} for its root). */
    public List<FileEntry> listFiles(String name, String dir) {
        Response r = engine.send(Request.get(path(name, "/files")).jsonBody(Map.of("path", dir)).build());
        return parseFiles(r.json());
    }

    /** Parses {@code {"files": "<JSON list as a string>"}} (or a plain list, which later managers send). */
    public static List<FileEntry> parseFiles(JsonNode body) {
        JsonNode files = body.path("files");
        if (files.isTextual()) {
            try {
                files = Json.parse(files.asText());
            } catch (IOException e) {
                throw new BackendClientError("The file list is not valid JSON: " + e.getMessage(), e);
            }
        }
        List<FileEntry> list = new ArrayList<>();
        for (JsonNode f : files) {
            list.add(FileEntry.fromJson(f));
        }
        return list;
    }

    /**
     * Invites users (by user id, e.g. e-mail) to share the folder with {@code permission} ro, rw or wd.
     *
     * @return the user ids actually invited
     */
    public List<String> invite(String name, String permission, List<String> userIds) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("perm", permission);
        body.put("user_ids", userIds);
        List<String> invited = new ArrayList<>();
        engine.send(Request.post(path(name, "/invite")).jsonBody(body).build()).json().path("invited_ids")
                .forEach(i -> invited.add(i.asText()));
        return invited;
    }

    /** The caller's pending invitations. */
    public List<Invitation> invitations() {
        List<Invitation> list = new ArrayList<>();
        engine.send(Request.get("/folders/invitations/list").build()).json().path("invitations")
                .forEach(i -> list.add(Invitation.fromJson(i)));
        return list;
    }

    /** Accepts an invitation for the access key {@code accessKey}. */
    public void acceptInvitation(String invitationId, String accessKey) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("inv_id", invitationId);
        body.put("inv_ak", accessKey);
        engine.send(Request.post("/folders/invitations/accept").jsonBody(body).build());
    }

    /** Rejects (deletes) an invitation. */
    public void deleteInvitation(String invitationId) {
        engine.send(Request.delete("/folders/invitations/delete").jsonBody(Map.of("inv_id", invitationId)).build());
    }
}
