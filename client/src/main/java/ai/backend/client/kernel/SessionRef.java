package ai.backend.client.kernel;

import java.util.List;

/**
 * Which compute session a handle refers to: its ID (the client session token), the owner's access key when
 * an admin acts for another user (else null), whether {@code getOrCreate} created it, and its services.
 */
public record SessionRef(String id, String ownerAccessKey, boolean created, List<ServicePort> servicePorts) {
    public SessionRef {
        servicePorts = List.copyOf(servicePorts);
    }
}
