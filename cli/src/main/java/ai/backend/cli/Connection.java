package ai.backend.cli;

import ai.backend.client.APIConfig;
import ai.backend.client.BackendClientError;
import ai.backend.local.ServerFiles;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Decides where the CLI connects: the cluster configured through {@code BACKEND_*} (or {@code SORNA_*})
 * variables, or, when no endpoint and no keys are configured anywhere, the local server.
 */
public final class Connection {
    private Connection() {
    }

    /** Whether nothing is configured, so that the local server is the default. */
    public static boolean usesLocalServer(Function<String, String> env) {
        return blank(APIConfig.lookup(env, "ENDPOINT")) && blank(APIConfig.lookup(env, "ACCESS_KEY"))
                && blank(APIConfig.lookup(env, "SECRET_KEY"));
    }

    private static boolean blank(String s) {
        return s == null || s.isEmpty();
    }

    /**
     * The configuration to use, starting the local server when it is the default and not running.
     *
     * @param admin use the local server's admin keypair instead of its user keypair
     */
    public static APIConfig resolve(GlobalOptions global, Pretty pretty, boolean admin) {
        Function<String, String> env = System::getenv;
        APIConfig.Builder explicit = APIConfig.builder().skipSslCertValidation(global.skipSslCertValidation);
        if (!usesLocalServer(env)) {
            return APIConfig.fromEnvironment(env, explicit);
        }
        Path dataDir = LocalDefault.dataDir();
        ServerFiles.State state = LocalDefault.ensureRunning(dataDir, pretty);
        ServerFiles.Credentials creds = ServerFiles.readCredentials(dataDir, admin).orElseThrow(() ->
                new BackendClientError("The local server's keypairs are missing from " + dataDir));
        return explicit.endpoint(state.endpoint()).accessKey(creds.accessKey()).secretKey(creds.secretKey()).build();
    }
}
