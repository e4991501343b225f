package ai.backend.local.agent;

/**
 * A resolved image: its canonical name, the runtime that runs its sessions, and the smallest and largest
 * resource slots a session of it may have.
 */
public record Image(String canonicalName, Runtime runtime, ResourceSlots min, ResourceSlots max) {
}
