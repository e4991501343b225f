package ai.backend.local.vfolder;

import ai.backend.local.api.Problem;
import ai.backend.local.store.Database;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Resolves the {@code config.mounts} of a session creation (protocol §3.2.1): each name must be a folder the
 * session's owner can use, and appears in the session's working directory under that name. A local process
 * cannot be kept from writing through a link, so a folder shared read-only ({@code ro}) is refused rather
 * than mounted writable.
 */
public final class VFolderMounts {
    private VFolderMounts() {
    }

    /**
     * The directories to mount, by name, in request order (duplicates once).
     *
     * @param mounts the {@code config.mounts} value (null or JSON null: none)
     * @throws Problem 404 {@code vfolder-not-found} for a name the owner cannot use; 400
     *     {@code invalid-api-params} for a malformed list or a read-only share
     */
    public static Map<String, Path> resolve(Database db, Path dataDir, String ownerAccessKey, JsonNode mounts) {
        if (mounts == null || mounts.isNull()) {
            return Collections.emptyMap();
        }
        if (!mounts.isArray()) {
            throw Problem.invalidApiParams("mounts must be a list of virtual folder names!");
        }
        VFolderStore store = new VFolderStore(db);
        Path root = VFolderApi.root(dataDir);
        Map<String, Path> dirs = new LinkedHashMap<>();
        for (JsonNode m : mounts) {
            if (!m.isTextual()) {
                throw Problem.invalidApiParams("mounts must be a list of virtual folder names!");
            }
            String name = m.asText();
            if (dirs.containsKey(name)) {
                continue;
            }
            VFolderStore.Access a = store.find(ownerAccessKey, name)
                    .orElseThrow(() -> Problem.vfolderNotFound("Cannot mount \"" + name + "\": no such virtual folder"
                            + " is accessible."));
            if (!VFolderApi.allows(a.permission(), "rw")) {
                throw Problem.invalidApiParams("read-only vfolder mounts are not supported by the local server"
                        + " (\"" + name + "\" is shared with you read-only).");
            }
            dirs.put(name, VFolderApi.folderDir(root, a.folder()));
        }
        for (Map.Entry<String, Path> e : dirs.entrySet()) {
            store.find(ownerAccessKey, e.getKey()).ifPresent(a -> store.touch(a.folder().id()));
        }
        return dirs;
    }
}
