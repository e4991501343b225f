package ai.backend.local.vfolder;

import ai.backend.client.internal.Json;
import ai.backend.local.api.ApiContext;
import ai.backend.local.api.Problem;
import ai.backend.local.api.Uploads;
import ai.backend.local.store.Database;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The virtual folder endpoints of protocol §3.3 ({@code /folders}). Each folder is the directory
 * {@code <dataDir>/vfolders/<host>/<id as 32 hex digits>/}; its metadata, shares and invitations are in
 * the database ({@link VFolderStore}). Permissions: the owner has {@code wd}; {@code ro} may read,
 * {@code rw} may also write, {@code wd} may also delete files. An unknown folder or a missing permission is
 * 404 {@code vfolder-not-found}. Every path taken from a request is confined to the folder.
 */
public final class VFolderApi {
    /** Folder names the manager accepts. */
    public static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9]([a-zA-Z0-9._-]*[a-zA-Z0-9])?$");
    /** The only host this server has, and its default (the manager's {@code volumes/_default_host}). */
    public static final String DEFAULT_HOST = "local";
    /** The most files one upload may carry (the manager's limit). */
    static final int MAX_UPLOAD_FILES = 10;
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
    private static final String PERMISSION_DENIED = "Your operation may be permission denied.";
    private static final List<String> PERMISSIONS = List.of("ro", "rw", "wd");

    private final VFolderStore store;
    private final Path vfolderRoot;
    private final Path spoolRoot;
    private final Object metadataLock = new Object();
    private final Map<String, Object> folderLocks = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /** Serves folders under {@code <dataDir>/vfolders/}, creating the {@code local} host directory. */
    public VFolderApi(Database db, Path dataDir) {
        this.store = new VFolderStore(db);
        this.vfolderRoot = root(dataDir);
        this.spoolRoot = dataDir.toAbsolutePath().normalize().resolve("tmp").resolve("vfolder-uploads");
        try {
            Files.createDirectories(vfolderRoot.resolve(DEFAULT_HOST));
            Files.createDirectories(spoolRoot);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the virtual folder directory " + vfolderRoot, e);
        }
        cleanUpAfterCrash();
    }

    /** Removes what an earlier run may have left when it stopped mid-way: spooled uploads, half-deleted folders. */
    private void cleanUpAfterCrash() {
        List<Path> leftovers = new ArrayList<>();
        try (DirectoryStream<Path> spools = Files.newDirectoryStream(spoolRoot)) {
            spools.forEach(leftovers::add);
        } catch (IOException ignored) {
            // nothing to clean
        }
        try (DirectoryStream<Path> hosts = Files.newDirectoryStream(vfolderRoot)) {
            for (Path host : hosts) {
                if (Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
                    try (DirectoryStream<Path> trash = Files.newDirectoryStream(host, ".deleted-*")) {
                        trash.forEach(leftovers::add);
                    }
                }
            }
        } catch (IOException ignored) {
            // nothing to clean
        }
        for (Path p : leftovers) {
            try {
                VFolderFiles.deleteTree(p);
            } catch (IOException e) {
                System.getLogger(VFolderApi.class.getName()).log(System.Logger.Level.WARNING, "cannot remove " + p, e);
            }
        }
    }

    /** The directory holding the hosts' directories. */
    static Path root(Path dataDir) {
        return dataDir.toAbsolutePath().normalize().resolve("vfolders");
    }

    /** The directory of a folder. */
    static Path folderDir(Path vfolderRoot, VFolderStore.VFolder f) {
        return vfolderRoot.resolve(f.host()).resolve(f.hexId());
    }

    private Path dir(VFolderStore.VFolder f) {
        return folderDir(vfolderRoot, f);
    }

    // ---- permissions

    static boolean allows(String granted, String needed) {
        return PERMISSIONS.indexOf(granted) >= PERMISSIONS.indexOf(needed);
    }

    /** The folder of the path parameter {@code name} if the requester holds {@code needed} on it, else 404. */
    private VFolderStore.Access access(ApiContext api, String needed) {
        VFolderStore.Access a = store.find(api.keypair().accessKey(), api.pathParam("name"))
                .orElseThrow(() -> Problem.vfolderNotFound(PERMISSION_DENIED));
        if (!allows(a.permission(), needed)) {
            throw Problem.vfolderNotFound(PERMISSION_DENIED);
        }
        return a;
    }

    private VFolderStore.Policy policy(ApiContext api) {
        return store.policy(api.keypair().resourcePolicy()).orElseThrow(() ->
                Problem.internal("The keypair's resource policy " + api.keypair().resourcePolicy() + " does not exist."));
    }

    private Object lockOf(VFolderStore.VFolder f) {
        return folderLocks.computeIfAbsent(f.id(), k -> new Object());
    }

    // ---- request helpers

    private static JsonNode objectBody(ApiContext api) {
        JsonNode body = api.jsonBody("Malformed request body: a JSON object is required");
        if (!body.isObject()) {
            throw Problem.invalidApiParams("Malformed request body: a JSON object is required");
        }
        return body;
    }

    /** The JSON object body if there is one (bodies are optional on some GETs), else null. */
    private static JsonNode optionalBody(ApiContext api) {
        byte[] bytes = api.ctx().bodyAsBytes();
        if (bytes.length == 0 || new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            return null;
        }
        return objectBody(api);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isValueNode()) {
            throw Problem.invalidApiParams(field + " must be a string!");
        }
        return v.asText();
    }

    /** A non-empty list of strings (file paths, user ids). */
    private static List<String> strings(JsonNode body, String field, String what) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull() || !v.isArray() || v.isEmpty()) {
            throw Problem.invalidApiParams(field + " must be a non-empty list of " + what + ".");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual() || e.asText().isEmpty()) {
                throw Problem.invalidApiParams(field + " must be a non-empty list of " + what + ".");
            }
            out.add(e.asText());
        }
        return out;
    }

    private static void checkName(String name, String field) {
        if (name == null || name.isEmpty()) {
            throw Problem.invalidApiParams(field + " is missing or empty!");
        }
        if (!NAME.matcher(name).matches()) {
            throw Problem.invalidApiParams("Invalid vfolder name format: \"" + name + "\" (use letters, digits, '.', '_'"
                    + " and '-', starting and ending with a letter or digit).");
        }
    }

    private static Problem alreadyExists() {
        return Problem.withData(400, "vfolder-already-exists", "The virtual folder already exists with the same name.", null);
    }

    /** A path relative to the folder root, for messages (never the server's absolute path). */
    private static String relative(Path root, Path p) {
        String r = root.relativize(p).toString();
        return r.isEmpty() ? "." : r;
    }

    // ---- §3.3.1 create

    /** {@code POST /folders} → 201 {@code {"id", "name", "host"}}. */
    public void create(ApiContext api) {
        JsonNode body = objectBody(api);
        String name = text(body, "name");
        checkName(name, "name");
        String host = text(body, "host");
        if (host == null || host.isEmpty()) {
            host = DEFAULT_HOST;
        }
        VFolderStore.Policy policy = policy(api);
        if (!policy.allowedHosts().contains(host)) {
            throw Problem.invalidApiParams("You are not allowed to use this vfolder host.");
        }
        if (!HOST.matcher(host).matches() || !Files.isDirectory(vfolderRoot.resolve(host), LinkOption.NOFOLLOW_LINKS)) {
            throw Problem.invalidApiParams("Invalid vfolder host: " + host);
        }
        String accessKey = api.keypair().accessKey();
        VFolderStore.VFolder folder;
        synchronized (metadataLock) {
            if (policy.maxVfolderCount() > 0 && store.countOwned(accessKey) >= policy.maxVfolderCount()) {
                throw Problem.invalidApiParams("You cannot create more vfolders.");
            }
            if (store.find(accessKey, name).isPresent()) {
                throw alreadyExists();
            }
            folder = new VFolderStore.VFolder(UUID.randomUUID().toString(), host, name, accessKey, VFolderStore.now());
            Path dir = dir(folder);
            try {
                Files.createDirectory(dir);
            } catch (IOException e) {
                throw Problem.withData(400, "vfolder-creation-failed", "Virtual folder creation has failed.", null);
            }
            try {
                store.insert(folder);
            } catch (RuntimeException e) {
                try {
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // nothing in it yet
                }
                throw e;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", folder.hexId());
        out.put("name", folder.name());
        out.put("host", folder.host());
        api.json(201, out);
    }

    // ---- §3.3.2 list, §3.3.3 hosts, §3.3.4 info

    /** {@code GET /folders} → 200, owned folders first, then shared ones. */
    public void list(ApiContext api) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (VFolderStore.Access a : store.accessible(api.keypair().accessKey())) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", a.folder().name());
            m.put("id", a.folder().hexId());
            m.put("host", a.folder().host());
            m.put("is_owner", a.owner());
            m.put("permission", a.permission());
            out.add(m);
        }
        api.json(200, out);
    }

    /** {@code GET /folders/_/hosts} → 200 {@code {"default", "allowed"}}. */
    public void hosts(ApiContext api) {
        Set<String> allowed = new java.util.TreeSet<>();
        for (String h : policy(api).allowedHosts()) {
            if (HOST.matcher(h).matches() && Files.isDirectory(vfolderRoot.resolve(h), LinkOption.NOFOLLOW_LINKS)) {
                allowed.add(h);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("default", allowed.contains(DEFAULT_HOST) ? DEFAULT_HOST : null);
        out.put("allowed", new ArrayList<>(allowed));
        api.json(200, out);
    }

    /**
     * {@code GET /folders/{name}} (ro) → 200. Unlike 19.03.5, which always says {@code is_owner: false}
     * here, {@code is_owner} is true for the owner.
     */
    public void info(ApiContext api) {
        VFolderStore.Access a = access(api, "ro");
        int numFiles = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir(a.folder()))) {
            for (Path ignored : entries) {
                numFiles++;
            }
        } catch (IOException e) {
            numFiles = 0;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", a.folder().name());
        out.put("id", a.folder().hexId());
        out.put("host", a.folder().host());
        out.put("numFiles", numFiles);
        out.put("num_files", numFiles);
        out.put("created", VFolderFiles.pythonDateTime(a.folder().createdAt()));
        out.put("is_owner", a.owner());
        out.put("permission", a.permission());
        api.json(200, out);
    }

    // ---- §3.3.5 delete, §3.3.6 rename

    /** {@code DELETE /folders/{name}} (owner only) → 204; the directory goes with its shares and invitations. */
    public void delete(ApiContext api) {
        VFolderStore.Access a = access(api, "wd");
        if (!a.owner()) {
            throw Problem.vfolderNotFound(PERMISSION_DENIED);
        }
        Path dir = dir(a.folder());
        synchronized (lockOf(a.folder())) {
            // first out of sight (one rename), then forgotten, then removed: a crash never leaves a half folder
            Path trash = dir.resolveSibling(".deleted-" + a.folder().hexId());
            try {
                if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                    Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
                }
            } catch (IOException e) {
                throw Problem.internal("Cannot delete the virtual folder: " + e.getMessage());
            }
            store.delete(a.folder().id());
            try {
                VFolderFiles.deleteTree(trash);
            } catch (IOException e) {
                System.getLogger(VFolderApi.class.getName()).log(System.Logger.Level.WARNING,
                        "cannot remove the files of deleted vfolder " + trash, e);
            }
            folderLocks.remove(a.folder().id());
        }
        api.empty(204);
    }

    /**
     * {@code POST /folders/{name}/rename} {@code {"new_name"}} → 201, empty. Needs {@code wd}; a non-owner
     * holding {@code wd} gets 400.
     */
    public void rename(ApiContext api) {
        VFolderStore.Access a = access(api, "wd");
        JsonNode body = objectBody(api);
        String newName = text(body, "new_name");
        checkName(newName, "new_name");
        synchronized (metadataLock) {
            if (store.find(api.keypair().accessKey(), newName).isPresent()) {
                throw Problem.invalidApiParams("One of your accessible vfolders already has the name you requested.");
            }
            if (!a.owner()) {
                throw Problem.invalidApiParams("Cannot change the name of a vfolder that is not owned by me.");
            }
            store.rename(a.folder().id(), newName);
        }
        api.empty(201);
    }

    // ---- §3.3.7 mkdir

    /** {@code POST /folders/{name}/mkdir} {@code {"path"}} (rw) → 201, empty; parents are created. */
    public void mkdir(ApiContext api) {
        VFolderStore.Access a = access(api, "rw");
        JsonNode body = objectBody(api);
        String path = text(body, "path");
        if (path == null || path.isEmpty()) {
            throw Problem.invalidApiParams("path is missing or empty!");
        }
        Path root = dir(a.folder());
        synchronized (lockOf(a.folder())) {
            Path target = VFolderFiles.confined(root, path);
            notADirectoryOnTheWay(root, target, target);
            try {
                Files.createDirectories(target);
            } catch (FileAlreadyExistsException e) {
                throw Problem.invalidApiParams("\"" + path + "\" already exists and is not a directory.");
            } catch (IOException e) {
                throw Problem.invalidApiParams("Cannot create the directory \"" + path + "\": " + e.getMessage());
            }
        }
        api.empty(201);
    }

    /** 400 if some existing component of {@code last} (from the root down to {@code last}) is not a directory. */
    private static void notADirectoryOnTheWay(Path root, Path target, Path last) {
        List<Path> chain = new ArrayList<>();
        for (Path p = last; p != null && p.startsWith(root) && !p.equals(root); p = p.getParent()) {
            chain.add(0, p);
        }
        for (Path p : chain) {
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p)) {
                throw Problem.invalidApiParams("\"" + relative(root, p) + "\" already exists and is not a directory.");
            }
        }
    }

    // ---- §3.3.8 upload

    /**
     * {@code POST /folders/{name}/upload} (rw; multipart/form-data, parts {@code src}) → 201, empty. At most
     * 10 files; all or nothing: the parts are spooled to temporary files outside the folder first and
     * moved into place only when the whole body arrived and every check passed. The folder's total size
     * afterwards must stay within the policy's {@code max_vfolder_size} (KiB) when that is positive.
     */
    public void upload(ApiContext api) {
        VFolderStore.Access a;
        try {
            a = access(api, "rw");
        } catch (Problem p) {
            drain(api);
            throw p;
        }
        Path root = dir(a.folder());
        long maxKiB = policy(api).maxVfolderSize();
        Path spool;
        try {
            spool = Files.createTempDirectory(spoolRoot, "upload-");
        } catch (IOException e) {
            throw Problem.internal("Cannot prepare the upload: " + e.getMessage());
        }
        try {
            List<Uploads.Upload> uploads = Uploads.parts(api.ctx(), spool, Long.MAX_VALUE, Integer.MAX_VALUE);
            if (uploads.size() > MAX_UPLOAD_FILES) {
                throw Problem.invalidApiParams("Too many files!");
            }
            synchronized (lockOf(a.folder())) {
                Map<Path, Long> incoming = new LinkedHashMap<>();
                for (Uploads.Upload u : uploads) {
                    Path target = VFolderFiles.confined(root, u.name());
                    if (target.equals(root)) {
                        throw Problem.invalidApiParams("Invalid file name: " + u.name());
                    }
                    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(target)) {
                        throw Problem.invalidApiParams("Cannot overwrite \"" + u.name()
                                + "\" because it already exists and not a regular file.");
                    }
                    for (Path p = target.getParent(); p != null && !p.equals(root) && p.startsWith(root); p = p.getParent()) {
                        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p)) {
                            throw Problem.invalidApiParams("Failed to create parent directories. \"" + relative(root, p)
                                    + "\" already exists and is not a directory.");
                        }
                    }
                    incoming.remove(target);
                    incoming.put(target, u.part().getSize());
                }
                if (maxKiB > 0) {
                    checkSize(root, incoming, maxKiB);
                }
                Uploads.writeAll(root, uploads);
            }
        } finally {
            try {
                VFolderFiles.deleteTree(spool);
            } catch (IOException ignored) {
                // best effort: the spool is outside every folder
            }
        }
        api.empty(201);
    }

    /** The most of a refused upload's body read (and discarded) so that the client gets to read the answer. */
    private static final long MAX_DRAIN_BYTES = 16 * 1024 * 1024;

    /**
     * Reads and discards the request body (up to {@link #MAX_DRAIN_BYTES}) before an early error answer: a
     * connection closed with unread data is reset, and the client would lose the answer.
     */
    private static void drain(ApiContext api) {
        try (InputStream in = api.ctx().req().getInputStream()) {
            byte[] buf = new byte[65536];
            long total = 0;
            int n;
            while (total < MAX_DRAIN_BYTES && (n = in.read(buf)) >= 0) {
                total += n;
            }
        } catch (IOException | RuntimeException ignored) {
            // the connection is closed anyway
        }
    }

    /** 400 when the folder would exceed {@code maxKiB} once the incoming files replace what they overwrite. */
    private static void checkSize(Path root, Map<Path, Long> incoming, long maxKiB) {
        long total;
        try {
            total = VFolderFiles.treeSize(root);
            for (Map.Entry<Path, Long> e : incoming.entrySet()) {
                if (Files.isRegularFile(e.getKey(), LinkOption.NOFOLLOW_LINKS)) {
                    total -= Files.size(e.getKey());
                }
                total += e.getValue();
            }
        } catch (IOException e) {
            throw Problem.internal("Cannot measure the virtual folder: " + e.getMessage());
        }
        long max = maxKiB * 1024;
        if (total > max) {
            throw Problem.invalidApiParams("The virtual folder size limit would be exceeded: " + total
                    + " bytes > max_vfolder_size " + maxKiB + " KiB.");
        }
    }

    // ---- §3.3.9 delete files

    /** {@code DELETE /folders/{name}/delete_files} {@code {"files", "recursive"}} (wd) → 200 {@code {}}. */
    public void deleteFiles(ApiContext api) {
        VFolderStore.Access a = access(api, "wd");
        JsonNode body = objectBody(api);
        List<String> files = strings(body, "files", "file paths");
        JsonNode rec = body.get("recursive");
        boolean recursive = rec != null && rec.asBoolean(false);
        Path root = dir(a.folder());
        synchronized (lockOf(a.folder())) {
            List<Path> targets = new ArrayList<>();
            for (String f : files) {
                Path target = VFolderFiles.confinedEntry(root, f);
                if (target.equals(root)) {
                    throw Problem.invalidApiParams("Cannot delete the root of the virtual folder: " + f);
                }
                if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    continue; // nonexistent entries are skipped, as the manager does
                }
                if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS) && !recursive) {
                    throw Problem.invalidApiParams("\"" + f + "\" is a directory. Set recursive option to remove it.");
                }
                targets.add(target);
            }
            for (Path target : targets) {
                try {
                    VFolderFiles.deleteTree(target);
                } catch (IOException e) {
                    throw Problem.invalidApiParams("Cannot delete \"" + relative(root, target) + "\": " + e.getMessage());
                }
            }
        }
        api.json(200, Map.of());
    }

    // ---- §3.3.10 download, §3.3.11 download single

    /**
     * {@code GET /folders/{name}/download} {@code {"files"}} (ro) → 200 multipart/mixed, one gzip-compressed
     * part per file, streamed from disk (chunked), with {@code X-TOTAL-PAYLOADS-LENGTH}.
     */
    public void download(ApiContext api) {
        VFolderStore.Access a = access(api, "ro");
        JsonNode body = objectBody(api);
        List<String> files = strings(body, "files", "file paths");
        Path root = dir(a.folder());
        List<GzipMultipartStream.Entry> entries = new ArrayList<>();
        long total = 0;
        for (String f : files) {
            Path target = VFolderFiles.confined(root, f);
            if (!Files.isRegularFile(target)) {
                throw Problem.invalidApiParams("You cannot download \"" + f + "\" because it is not a regular file.");
            }
            try {
                total += Files.size(target);
            } catch (IOException e) {
                throw Problem.invalidApiParams("You cannot download \"" + f + "\" because it is not a regular file.");
            }
            String base = target.getFileName().toString();
            entries.add(new GzipMultipartStream.Entry(target, VFolderFiles.contentType(base), disposition("attachment", base)));
        }
        String boundary = HexFormat.of().formatHex(randomBytes(16));
        api.ctx().disableCompression();
        api.ctx().status(200);
        api.ctx().contentType("multipart/mixed; boundary=" + boundary);
        api.ctx().header("X-TOTAL-PAYLOADS-LENGTH", Long.toString(total));
        // commit the headers before the first byte of the body, so that it is always sent chunked (as aiohttp's
        // streamed multipart) rather than with a Content-Length when it happens to fit in the buffer
        jakarta.servlet.http.HttpServletResponse res = api.ctx().res();
        api.ctx().result(new GzipMultipartStream(entries, boundary, () -> {
            try {
                res.flushBuffer();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /**
     * A Content-Disposition as aiohttp writes it: the percent-encoded name in {@code filename}, plus the
     * RFC 5987 {@code filename*} when encoding changed the name (the 19.03.5 manager was seen sending only
     * {@code filename} for plain names).
     */
    static String disposition(String type, String name) {
        String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                .replace("%7E", "~");
        String value = type + "; filename=\"" + encoded + "\"";
        return encoded.equals(name) ? value : value + "; filename*=utf-8''" + encoded;
    }

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    /**
     * {@code GET /folders/{name}/download_single} (ro), parameter {@code file} from the JSON body if there is
     * one, else from the query → 200 with the raw bytes (a single {@code Range} is honoured: 206).
     */
    public void downloadSingle(ApiContext api) {
        VFolderStore.Access a = access(api, "ro");
        JsonNode body = optionalBody(api);
        String file = body != null ? text(body, "file") : api.queryParam("file");
        if (file == null || file.isEmpty()) {
            throw Problem.invalidApiParams("file is missing or empty!");
        }
        Path root = dir(a.folder());
        Path target = VFolderFiles.confinedOrNull(root, file, false);
        if (target == null || !Files.exists(target)) {
            throw Problem.invalidApiParams("The file is not found.");
        }
        if (!Files.isRegularFile(target)) {
            throw Problem.invalidApiParams("The file is not a regular file.");
        }
        long size;
        FileTime modified;
        try {
            size = Files.size(target);
            modified = Files.getLastModifiedTime(target);
        } catch (IOException e) {
            throw Problem.invalidApiParams("The file is not found.");
        }
        long start = 0;
        long end = size - 1;
        int status = 200;
        String range = api.ctx().header("Range");
        if (range != null) {
            Matcher m = RANGE.matcher(range.trim());
            if (m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
                try {
                    if (m.group(1).isEmpty()) {
                        start = Math.max(0, size - Long.parseLong(m.group(2)));
                    } else {
                        start = Long.parseLong(m.group(1));
                        if (!m.group(2).isEmpty()) {
                            end = Math.min(end, Long.parseLong(m.group(2)));
                        }
                    }
                } catch (NumberFormatException e) {
                    start = size; // unsatisfiable
                }
                if (start >= size || start > end) {
                    api.ctx().header("Content-Range", "bytes */" + size);
                    api.ctx().status(416).result(new byte[0]);
                    return;
                }
                status = 206;
                api.ctx().header("Content-Range", "bytes " + start + "-" + end + "/" + size);
            }
        }
        long length = size == 0 ? 0 : end - start + 1;
        InputStream in;
        try {
            in = Files.newInputStream(target);
            in.skipNBytes(start);
        } catch (IOException e) {
            throw Problem.invalidApiParams("The file is not found.");
        }
        api.ctx().disableCompression();
        api.ctx().status(status);
        api.ctx().contentType(VFolderFiles.contentType(target.getFileName().toString()));
        api.ctx().header("Accept-Ranges", "bytes");
        api.ctx().header("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(modified.toInstant().atOffset(ZoneOffset.UTC)));
        api.ctx().header("Content-Length", Long.toString(length));
        api.ctx().result(new BoundedStream(in, length));
    }

    /** At most {@code limit} bytes of a stream. */
    private static final class BoundedStream extends java.io.FilterInputStream {
        private long left;

        BoundedStream(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }

    // ---- §3.3.12 list files

    /**
     * {@code GET /folders/{name}/files} (ro), {@code {"path"}} in a JSON body or {@code ?path=} (default
     * {@code "."}) → 200 {@code {"files": "<JSON list as a string>"}}. A path outside the folder is
     * {@code 404 {"error_msg": "No such file or directory"}} (plain JSON), as in 19.03; so is a missing
     * directory (a 500 in 19.03), and a file is {@code 404 {"error_msg": "Not a directory"}}. Symbolic links
     * are listed as links ({@code l…} mode), not followed.
     */
    public void listFiles(ApiContext api) {
        VFolderStore.Access a = access(api, "ro");
        JsonNode body = optionalBody(api);
        String path = body != null ? text(body, "path") : api.queryParam("path");
        if (path == null || path.isEmpty()) {
            path = ".";
        }
        Path root = dir(a.folder());
        Path target = VFolderFiles.confinedOrNull(root, path, false);
        if (target == null || !Files.exists(target)) {
            api.json(404, Map.of("error_msg", "No such file or directory"));
            return;
        }
        if (!Files.isDirectory(target)) {
            api.json(404, Map.of("error_msg", "Not a directory"));
            return;
        }
        TreeMap<String, Map<String, Object>> sorted = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
            for (Path p : entries) {
                Map<String, Object> attrs = Files.readAttributes(p, "unix:mode,size,ctime,lastModifiedTime,lastAccessTime",
                        LinkOption.NOFOLLOW_LINKS);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("mode", VFolderFiles.filemode((Integer) attrs.get("mode")));
                m.put("size", attrs.get("size"));
                m.put("ctime", VFolderFiles.pythonTime((FileTime) attrs.get("ctime")));
                m.put("mtime", VFolderFiles.pythonTime((FileTime) attrs.get("lastModifiedTime")));
                m.put("atime", VFolderFiles.pythonTime((FileTime) attrs.get("lastAccessTime")));
                m.put("filename", p.getFileName().toString());
                sorted.put(p.getFileName().toString(), m);
            }
        } catch (IOException e) {
            api.json(404, Map.of("error_msg", "No such file or directory"));
            return;
        }
        api.json(200, Map.of("files", Json.pythonDumps(new ArrayList<>(sorted.values()))));
    }

    // ---- §3.3.13 invitations

    /**
     * {@code POST /folders/{name}/invite} {@code {"perm", "user_ids"}} (owner only) → 201
     * {@code {"invited_ids"}}: one pending invitation per distinct known user other than the inviter,
     * unless the same one is already pending.
     */
    public void invite(ApiContext api) {
        String accessKey = api.keypair().accessKey();
        VFolderStore.Access a = store.find(accessKey, api.pathParam("name")).filter(VFolderStore.Access::owner)
                .orElseThrow(() -> Problem.vfolderNotFound(PERMISSION_DENIED));
        JsonNode body = objectBody(api);
        String perm = text(body, "perm");
        perm = perm == null ? "rw" : perm;
        if (!PERMISSIONS.contains(perm)) {
            throw Problem.invalidApiParams("Invalid permission: " + perm + " (ro, rw or wd).");
        }
        List<String> userIds = strings(body, "user_ids", "user ids");
        String inviter = api.keypair().userId();
        List<String> invited = new ArrayList<>();
        synchronized (metadataLock) {
            for (String invitee : new LinkedHashSet<>(userIds)) {
                if (invitee.equals(inviter) || !store.userExists(invitee)
                        || store.pendingInvitationExists(a.folder().id(), inviter, invitee)) {
                    continue;
                }
                store.insertInvitation(new VFolderStore.Invitation(UUID.randomUUID().toString(), a.folder().id(),
                        inviter, invitee, perm, "pending", VFolderStore.now()));
                invited.add(invitee);
            }
        }
        api.json(201, Map.of("invited_ids", invited));
    }

    /** {@code GET /folders/invitations/list} → 200 {@code {"invitations": [...]}}, pending ones for the requester. */
    public void invitations(ApiContext api) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (VFolderStore.Invitation i : store.pendingInvitationsFor(api.keypair().userId())) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", i.id());
            m.put("inviter", i.inviter());
            m.put("perm", i.permission());
            m.put("state", i.state());
            m.put("created_at", VFolderFiles.pythonDateTime(i.createdAt()));
            m.put("vfolder_id", i.vfolder());
            out.add(m);
        }
        api.json(200, Map.of("invitations", out));
    }

    /** A pending invitation addressed to the requester, or null. */
    private Optional<VFolderStore.Invitation> pendingFor(String id, String userId, boolean orFromRequester) {
        return store.invitation(id).filter(i -> i.state().equals("pending"))
                .filter(i -> i.invitee().equals(userId) || orFromRequester && i.inviter().equals(userId));
    }

    /**
     * {@code POST /folders/invitations/accept} {@code {"inv_id", "inv_ak"}} → 201 {@code {"msg"}} (the 19.03.5
     * body). Unlike 19.03.5, only the invitee may accept, {@code inv_ak} must be one of the invitee's access
     * keys, and an unknown invitation is a 404 (not 500).
     */
    public void acceptInvitation(ApiContext api) {
        JsonNode body = objectBody(api);
        String invId = text(body, "inv_id");
        String invAk = text(body, "inv_ak");
        if (invId == null || invId.isEmpty()) {
            throw Problem.invalidApiParams("inv_id is missing or empty!");
        }
        if (invAk == null || invAk.isEmpty()) {
            throw Problem.invalidApiParams("inv_ak is missing or empty!");
        }
        String userId = api.keypair().userId();
        String msg;
        synchronized (metadataLock) {
            Optional<VFolderStore.Invitation> found = pendingFor(invId, userId, false);
            if (found.isEmpty()) {
                api.json(404, Map.of("msg", "No such invitation found."));
                return;
            }
            VFolderStore.Invitation inv = found.get();
            Optional<VFolderStore.VFolder> folder = store.byId(inv.vfolder());
            if (folder.isEmpty()) {
                api.json(404, Map.of("msg", "No such virtual folder found."));
                return;
            }
            Optional<String> owner = store.userIdOf(invAk);
            if (owner.isEmpty() || !owner.get().equals(inv.invitee())) {
                api.json(404, Map.of("msg", "No such access key found: " + invAk + "."));
                return;
            }
            if (store.find(invAk, folder.get().name()).isPresent()) {
                throw alreadyExists();
            }
            store.transaction(() -> {
                store.grant(inv.vfolder(), invAk, inv.permission());
                store.setInvitationState(inv.id(), "accepted");
                return null;
            });
            msg = "Access key (" + invAk + " by " + inv.invitee() + ") now can access vfolder " + inv.vfolder() + ".";
        }
        api.json(201, Map.of("msg", msg));
    }

    /**
     * {@code DELETE /folders/invitations/delete} {@code {"inv_id"}} → 200 {@code {"msg"}}: the invitee rejects
     * it, or the inviter cancels it; anyone else, or a non-pending one, gets {@code 404 {"msg"}}.
     */
    public void deleteInvitation(ApiContext api) {
        JsonNode body = objectBody(api);
        String invId = text(body, "inv_id");
        if (invId == null || invId.isEmpty()) {
            throw Problem.invalidApiParams("inv_id is missing or empty!");
        }
        String userId = api.keypair().userId();
        synchronized (metadataLock) {
            Optional<VFolderStore.Invitation> found = pendingFor(invId, userId, true);
            if (found.isEmpty()) {
                api.json(404, Map.of("msg", "No such invitation found."));
                return;
            }
            store.setInvitationState(invId, found.get().invitee().equals(userId) ? "rejected" : "canceled");
        }
        api.json(200, Map.of("msg", "Vfolder invitation is rejected: " + invId + "."));
    }
}
