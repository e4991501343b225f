package ai.backend.local.agent;

import java.util.List;
import java.util.Optional;

/**
 * A resolved image: its canonical name, the runtime that runs its sessions, the smallest and largest
 * resource slots a session of it may have, and the app services its sessions provide.
 */
public record Image(String canonicalName, Runtime runtime, ResourceSlots min, ResourceSlots max, List<ServiceDef> services) {
    public Image {
        services = List.copyOf(services);
    }

    /** The service called {@code name}. */
    public Optional<ServiceDef> service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
