package ai.backend.local.agent;

import java.nio.file.Path;

/** Test access to package-private helpers. */
public final class AgentTestAccess {
    private AgentTestAccess() {
    }

    public static void deleteTree(Path dir) {
        Agent.deleteTree(dir);
    }
}
