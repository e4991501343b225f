package ai.backend.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Properties;

/**
 * The small files a local server keeps beside its database so that the CLI can find it without loading
 * the server: {@code credentials.properties} (the admin and user keypairs, mode 600) and
 * {@code server.properties} (pid and endpoint of the running server). Reading them loads nothing heavy.
 */
public final class ServerFiles {
    public static final String CREDENTIALS = "credentials.properties";
    public static final String STATE = "server.properties";

    private ServerFiles() {
    }

    /** An access key and secret key as stored for the CLI. */
    public record Credentials(String accessKey, String secretKey) {
        @Override
        public String toString() {
            return "Credentials[" + accessKey + "]";
        }
    }

    /** Where a running server listens. */
    public record State(long pid, String endpoint) {
    }

    public static Optional<Credentials> readCredentials(Path dataDir, boolean admin) {
        Properties p = load(dataDir.resolve(CREDENTIALS));
        String prefix = admin ? "admin." : "user.";
        String ak = p.getProperty(prefix + "access_key");
        String sk = p.getProperty(prefix + "secret_key");
        return ak == null || sk == null ? Optional.empty() : Optional.of(new Credentials(ak, sk));
    }

    static void writeCredentials(Path dataDir, Credentials admin, Credentials user) throws IOException {
        Properties p = new Properties();
        p.setProperty("admin.access_key", admin.accessKey());
        p.setProperty("admin.secret_key", admin.secretKey());
        p.setProperty("user.access_key", user.accessKey());
        p.setProperty("user.secret_key", user.secretKey());
        store(dataDir.resolve(CREDENTIALS), p, "Backend.AI local server keypairs. Keep this file private.");
    }

    public static Optional<State> readState(Path dataDir) {
        Properties p = load(dataDir.resolve(STATE));
        String pid = p.getProperty("pid");
        String endpoint = p.getProperty("endpoint");
        if (pid == null || endpoint == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new State(Long.parseLong(pid), endpoint));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static void writeState(Path dataDir, State state) throws IOException {
        Properties p = new Properties();
        p.setProperty("pid", Long.toString(state.pid()));
        p.setProperty("endpoint", state.endpoint());
        store(dataDir.resolve(STATE), p, "The running Backend.AI local server.");
    }

    static void deleteState(Path dataDir, long pid) {
        Optional<State> current = readState(dataDir);
        if (current.isPresent() && current.get().pid() == pid) {
            try {
                Files.deleteIfExists(dataDir.resolve(STATE));
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    private static Properties load(Path file) {
        Properties p = new Properties();
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException ignored) {
                // treated as absent
            }
        }
        return p;
    }

    private static void store(Path file, Properties p, String comment) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), ".tmp", ".properties");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, comment);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
