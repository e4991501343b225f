package ai.backend.cli;

import ai.backend.client.kernel.CreateKernelRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The session-creation options shared by {@code run} and {@code start}. */
final class SessionOptions {
    @Option(names = {"-t", "--session-id", "--client-token"}, paramLabel = "SESSID",
            description = "The session ID (4 to 64 characters). Default: a random one.")
    String sessionId;

    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VAL", description = "An environment variable (repeatable).")
    List<String> envs = new ArrayList<>();

    @Option(names = {"-m", "--mount"}, paramLabel = "NAME", description = "A virtual folder to mount (repeatable).")
    List<String> mounts = new ArrayList<>();

    @Option(names = {"-r", "--resources"}, paramLabel = "KEY=VAL",
            description = "A resource request, e.g. -r cpu=2 -r mem=512m (repeatable; mem is in bytes unless suffixed).")
    List<String> resources = new ArrayList<>();

    @Option(names = "--tag", paramLabel = "TEXT", description = "A free-text tag stored on the session.")
    String tag;

    @Option(names = "--cluster-size", paramLabel = "NUMBER", defaultValue = "1",
            description = "The number of containers in the session (1 to 3; default: 1).")
    int clusterSize;

    /** Parses {@code KEY=VAL} items, splitting on the first {@code =}. */
    static Map<String, String> pairs(List<String> items, String option, picocli.CommandLine cmd) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String item : items) {
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw new ParameterException(cmd, "Invalid value for " + option + ": '" + item + "' (expected KEY=VAL)");
            }
            map.put(item.substring(0, eq), item.substring(eq + 1));
        }
        return map;
    }

    /** The creation request; validates the token length and cluster size as usage errors. */
    CreateKernelRequest toRequest(String image, String token, picocli.CommandLine cmd) {
        return toRequest(image, token, cmd, pairs(envs, "--env", cmd));
    }

    /** The creation request with the given environment (e.g. filled-in templates). */
    CreateKernelRequest toRequest(String image, String token, picocli.CommandLine cmd, Map<String, String> environ) {
        if (token.length() < 4 || token.length() > 64) {
            throw new ParameterException(cmd, "The session ID must be 4 to 64 characters long, not " + token.length()
                    + " ('" + token + "').");
        }
        if (clusterSize < 1 || clusterSize > 3) {
            throw new ParameterException(cmd, "Invalid cluster size.");
        }
        return CreateKernelRequest.builder(image).clientToken(token).environ(environ)
                .mounts(mounts).resources(pairs(resources, "--resources", cmd)).clusterSize(clusterSize).tag(tag).build();
    }
}
