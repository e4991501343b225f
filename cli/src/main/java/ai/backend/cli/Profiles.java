package ai.backend.cli;

import ai.backend.client.BackendClientError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.function.Function;

/**
 * Named connection profiles in {@code $XDG_CONFIG_HOME/backend.ai/profiles.properties} (else
 * {@code ~/.config/backend.ai/profiles.properties}):
 * <pre>
 * default = prod
 * prod.endpoint = https://api.example.com
 * prod.access_key = AKIA...
 * prod.secret_key = ...
 * prod.skip_sslcert_validation = false
 * </pre>
 * The profile in use is {@code --profile NAME}, else {@code $BACKEND_PROFILE}, else {@code default}; the name
 * {@code local} always means the local server. {@code BACKEND_*} variables override a profile's values.
 */
final class Profiles {
    /** The name of the built-in profile of the local server. */
    static final String LOCAL = "local";

    private final Path file;
    private final Properties properties;

    private Profiles(Path file, Properties properties) {
        this.file = file;
        this.properties = properties;
    }

    static Path defaultFile(Function<String, String> env) {
        String xdg = env.apply("XDG_CONFIG_HOME");
        String home = env.apply("HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(home == null || home.isBlank() ? System.getProperty("user.home") : home, ".config");
        return base.resolve("backend.ai").resolve("profiles.properties");
    }

    /** Reads the profile file; a missing file means no profiles. */
    static Profiles load(Function<String, String> env) {
        Path file = defaultFile(env);
        Properties p = new Properties();
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException e) {
                throw new BackendClientError("Cannot read the profiles in " + file + ": " + e.getMessage(), e);
            }
        }
        return new Profiles(file, p);
    }

    Path file() {
        return file;
    }

    /** The profile asked for: the option, else $BACKEND_PROFILE, else the file's default; null for none. */
    String selected(String option, Function<String, String> env) {
        if (option != null && !option.isBlank()) {
            return option;
        }
        String fromEnv = env.apply("BACKEND_PROFILE");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        String def = properties.getProperty("default");
        return def == null || def.isBlank() ? null : def.trim();
    }

    /**
     * A value of a profile, or null.
     *
     * @throws BackendClientError when the profile does not exist
     */
    String get(String profile, String key) {
        if (!exists(profile)) {
            throw new BackendClientError("There is no profile '" + profile + "' in " + file
                    + " (add " + profile + ".endpoint, " + profile + ".access_key and " + profile + ".secret_key).");
        }
        String v = properties.getProperty(profile + "." + key);
        return v == null || v.isBlank() ? null : v.trim();
    }

    boolean exists(String profile) {
        String prefix = profile + ".";
        return properties.stringPropertyNames().stream().anyMatch(k -> k.startsWith(prefix));
    }
}
