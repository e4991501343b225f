package ai.backend.cli;

import ai.backend.client.APIConfig;
import ai.backend.client.Version;
import ai.backend.local.ServerFiles;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code backend.ai config}: shows the configuration in use, with the secret key masked. No request is made. */
@Command(name = "config", mixinStandardHelpOptions = true)
final class ConfigCommand implements Callable<Integer> {
    @ParentCommand
    BackendAiCommand root;

    @Override
    public Integer call() {
        boolean bold = System.console() != null && System.getenv("NO_COLOR") == null;
        Connection.Settings settings = Connection.settings(root.global, System::getenv);
        String endpoint;
        String accessKey;
        String secret;
        String endpointSource;
        String keySource;
        if (settings.local()) {
            Path dataDir = LocalDefault.dataDir();
            Optional<ServerFiles.State> state = ServerFiles.readState(dataDir);
            boolean running = state.isPresent() && ProcessHandle.of(state.get().pid()).map(ProcessHandle::isAlive).orElse(false);
            endpoint = running ? state.get().endpoint() + " (local server)"
                    : "http://127.0.0.1:8081 (local server, not running; started on first use)";
            Optional<ServerFiles.Credentials> creds = ServerFiles.readCredentials(dataDir, false);
            accessKey = creds.map(ServerFiles.Credentials::accessKey).orElse(null);
            secret = creds.map(ServerFiles.Credentials::secretKey).orElse(null);
            endpointSource = "the local server" + (settings.profile() == null ? " (nothing else is configured)" : " (profile 'local')");
            keySource = "the local server's user keypair in " + dataDir.resolve(ServerFiles.CREDENTIALS);
        } else {
            endpoint = settings.endpoint().value();
            accessKey = settings.accessKey() == null ? null : settings.accessKey().value();
            secret = settings.secretKey() == null ? null : settings.secretKey().value();
            // validates the endpoint as every command would
            APIConfig.builder().endpoint(endpoint).accessKey(accessKey == null ? "x" : accessKey)
                    .secretKey(secret == null ? "x" : secret).build();
            endpointSource = settings.endpoint().source();
            keySource = settings.accessKey() == null ? "not configured" : settings.accessKey().source();
            if (accessKey == null) {
                throw new ai.backend.client.BackendClientError("The access key is not configured. Set BACKEND_ACCESS_KEY"
                        + " (or SORNA_ACCESS_KEY) in the environment, or access_key in a profile.");
            }
            if (secret == null) {
                throw new ai.backend.client.BackendClientError("The secret key is not configured. Set BACKEND_SECRET_KEY"
                        + " (or SORNA_SECRET_KEY) in the environment, or secret_key in a profile.");
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("Client version: ").append(b(bold, Version.CLIENT_VERSION)).append('\n');
        out.append("API endpoint: ").append(b(bold, endpoint)).append('\n');
        out.append("API version: ").append(b(bold, APIConfig.DEFAULT_VERSION)).append('\n');
        out.append("Access key: ").append(b(bold, accessKey == null ? "(created when the local server first starts)"
                : "\"" + accessKey + "\"")).append('\n');
        out.append("Secret key: ").append(b(bold, secret == null ? "(created when the local server first starts)"
                : "\"" + APIConfig.maskSecret(secret) + "\"")).append('\n');
        out.append("Signature hash type: ").append(b(bold, APIConfig.DEFAULT_HASH_TYPE)).append('\n');
        out.append("Skip SSL certificate validation? ").append(b(bold, settings.skipSsl() ? "True" : "False")).append('\n');
        out.append("Sources: endpoint from ").append(endpointSource).append("; keys from ").append(keySource).append('\n');
        System.out.print(out);
        return 0;
    }

    private static String b(boolean bold, String s) {
        return bold ? "\u001b[1m" + s + "\u001b[0m" : s;
    }
}
