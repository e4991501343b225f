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
        String endpoint;
        String accessKey;
        String secret;
        String hashType = APIConfig.DEFAULT_HASH_TYPE;
        boolean skip;
        if (Connection.usesLocalServer(System::getenv)) {
            Path dataDir = LocalDefault.dataDir();
            Optional<ServerFiles.State> state = ServerFiles.readState(dataDir);
            boolean running = state.isPresent() && ProcessHandle.of(state.get().pid()).map(ProcessHandle::isAlive).orElse(false);
            endpoint = running ? state.get().endpoint() + " (local server)"
                    : "http://127.0.0.1:8081 (local server, not running; started on first use)";
            Optional<ServerFiles.Credentials> creds = ServerFiles.readCredentials(dataDir, false);
            accessKey = creds.map(ServerFiles.Credentials::accessKey).orElse(null);
            secret = creds.map(ServerFiles.Credentials::secretKey).orElse(null);
            skip = root.global.skipSslCertValidation;
        } else {
            APIConfig c = APIConfig.fromEnvironment(System::getenv,
                    APIConfig.builder().skipSslCertValidation(root.global.skipSslCertValidation));
            endpoint = c.endpoint().toString();
            accessKey = c.accessKey();
            secret = c.secretKey();
            hashType = c.hashType();
            skip = c.skipSslCertValidation();
        }
        StringBuilder out = new StringBuilder();
        out.append("Client version: ").append(b(bold, Version.CLIENT_VERSION)).append('\n');
        out.append("API endpoint: ").append(b(bold, endpoint)).append('\n');
        out.append("API version: ").append(b(bold, APIConfig.DEFAULT_VERSION)).append('\n');
        out.append("Access key: ").append(b(bold, accessKey == null ? "(created when the local server first starts)"
                : "\"" + accessKey + "\"")).append('\n');
        out.append("Secret key: ").append(b(bold, secret == null ? "(created when the local server first starts)"
                : "\"" + APIConfig.maskSecret(secret) + "\"")).append('\n');
        out.append("Signature hash type: ").append(b(bold, hashType)).append('\n');
        out.append("Skip SSL certificate validation? ").append(b(bold, skip ? "True" : "False")).append('\n');
        System.out.print(out);
        return 0;
    }

    private static String b(boolean bold, String s) {
        return bold ? "\u001b[1m" + s + "\u001b[0m" : s;
    }
}
