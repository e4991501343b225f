package ai.backend.client.vfolder;

import java.util.List;

/** The storage hosts the caller may use, and the default one (null when there is none). */
public record VFolderHosts(String defaultHost, List<String> allowed) {
    public VFolderHosts {
        allowed = List.copyOf(allowed);
    }
}
