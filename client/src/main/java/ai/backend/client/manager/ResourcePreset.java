package ai.backend.client.manager;

import java.util.Map;

/**
 * A resource preset: a name and its slots as decimal strings ({@code cpu=1}, {@code mem=1073741824}).
 *
 * @param allocatable from {@code check-presets}: whether the caller could create a session this size now;
 *                    null in the plain list
 */
public record ResourcePreset(String name, Map<String, String> resourceSlots, Boolean allocatable) {
    public ResourcePreset {
        resourceSlots = Map.copyOf(resourceSlots);
    }
}
