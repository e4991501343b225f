package ai.backend.cli;

import ai.backend.client.APIConfig;
import ai.backend.client.BackendClientError;
import ai.backend.local.ServerFiles;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Decides where the CLI connects, and tells where each value came from: a named profile (see
 * {@link Profiles}), overridden by {@code BACKEND_*} (or {@code SORNA_*}) variables; or, when nothing is
 * configured anywhere (or the profile {@code local} is chosen), the local server.
 */
public final class Connection {
    private Connection() {
    }

    /** A setting and where it came from (e.g. {@code BACKEND_ENDPOINT}, {@code profile 'prod'}). */
    record Sourced(String value, String source) {
    }

    /** The connection settings before any server is started; {@code local} when the local server is meant. */
    record Settings(boolean local, Sourced endpoint, Sourced accessKey, Sourced secretKey, boolean skipSsl, String profile) {
    }

    private static boolean blank(String s) {
        return s == null || s.isEmpty();
    }

    private static Sourced pick(Function<String, String> env, String key, Profiles profiles, String profile, String profileKey) {
        String backend = env.apply("BACKEND_" + key);
        if (!blank(backend)) {
            return new Sourced(backend, "BACKEND_" + key);
        }
        String sorna = env.apply("SORNA_" + key);
        if (!blank(sorna)) {
            return new Sourced(sorna, "SORNA_" + key);
        }
        if (profile != null) {
            String v = profiles.get(profile, profileKey);
            if (v != null) {
                return new Sourced(v, "profile '" + profile + "' in " + profiles.file());
            }
        }
        return null;
    }

    /** Works out the settings from the option, the environment and the profile file. */
    static Settings settings(GlobalOptions global, Function<String, String> env) {
        Profiles profiles = Profiles.load(env);
        String profile = profiles.selected(global.profile, env);
        if (Profiles.LOCAL.equals(profile)) {
            return new Settings(true, null, null, null, global.skipSslCertValidation, profile);
        }
        Sourced endpoint = pick(env, "ENDPOINT", profiles, profile, "endpoint");
        Sourced ak = pick(env, "ACCESS_KEY", profiles, profile, "access_key");
        Sourced sk = pick(env, "SECRET_KEY", profiles, profile, "secret_key");
        if (endpoint == null && ak == null && sk == null) {
            return new Settings(true, null, null, null, global.skipSslCertValidation, null);
        }
        boolean skip = global.skipSslCertValidation;
        String skipText = env.apply("BACKEND_SKIP_SSLCERT_VALIDATION");
        if (skipText == null) {
            skipText = env.apply("SORNA_SKIP_SSLCERT_VALIDATION");
        }
        if (skipText == null && profile != null) {
            skipText = profiles.get(profile, "skip_sslcert_validation");
        }
        if (!skip && skipText != null) {
            skip = APIConfig.parseBoolean(skipText, "SKIP_SSLCERT_VALIDATION");
        }
        return new Settings(false, endpoint == null ? new Sourced(APIConfig.DEFAULT_ENDPOINT, "default") : endpoint,
                ak, sk, skip, profile);
    }

    /** Whether nothing is configured, so that the local server is the default. */
    public static boolean usesLocalServer(Function<String, String> env) {
        return settings(new GlobalOptions(), env).local();
    }

    /**
     * The configuration to use, starting the local server when it is the one meant and not running.
     *
     * @param admin use the local server's admin keypair instead of its user keypair
     */
    public static APIConfig resolve(GlobalOptions global, Pretty pretty, boolean admin) {
        Function<String, String> env = System::getenv;
        Settings s = settings(global, env);
        APIConfig.Builder b = APIConfig.builder().skipSslCertValidation(s.skipSsl());
        if (!s.local()) {
            if (s.accessKey() == null) {
                throw new BackendClientError("The access key is not configured. Set BACKEND_ACCESS_KEY (or SORNA_ACCESS_KEY)"
                        + " in the environment, or access_key in a profile.");
            }
            if (s.secretKey() == null) {
                throw new BackendClientError("The secret key is not configured. Set BACKEND_SECRET_KEY (or SORNA_SECRET_KEY)"
                        + " in the environment, or secret_key in a profile.");
            }
            String mounts = APIConfig.lookup(env, "VFOLDER_MOUNTS");
            if (mounts != null) {
                b.vfolderMounts(java.util.Arrays.stream(mounts.split(",")).map(String::trim).filter(m -> !m.isEmpty()).toList());
            }
            return b.endpoint(s.endpoint().value()).accessKey(s.accessKey().value()).secretKey(s.secretKey().value()).build();
        }
        Path dataDir = LocalDefault.dataDir();
        ServerFiles.State state = LocalDefault.ensureRunning(dataDir, pretty);
        ServerFiles.Credentials creds = ServerFiles.readCredentials(dataDir, admin).orElseThrow(() ->
                new BackendClientError("The local server's keypairs are missing from " + dataDir));
        return b.endpoint(state.endpoint()).accessKey(creds.accessKey()).secretKey(creds.secretKey()).build();
    }
}
