package ai.backend.local.agent;

/**
 * A resolved image: its canonical name and the runtime that runs its sessions.
 */
public record Image(String canonicalName, Runtime runtime) {
}
