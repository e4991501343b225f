package ai.backend.cli;

import ai.backend.client.Session;
import ai.backend.client.kernel.Kernel;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code backend.ai start LANG}: creates (or finds) a session without running code. */
@Command(name = "start", mixinStandardHelpOptions = true)
final class StartCommand implements Callable<Integer> {
    @ParentCommand
    BackendAiCommand root;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "LANG", description = "The image name, with an optional :tag.")
    String image;

    @Mixin
    SessionOptions session = new SessionOptions();

    @Override
    public Integer call() {
        Pretty pretty = Pretty.stderr(false);
        String token = session.sessionId == null ? RunAction.randomPrefix() : session.sessionId;
        var request = session.toRequest(image, token, spec.commandLine());
        try (Session s = new Session(Connection.resolve(root.global, pretty, false))) {
            Kernel kernel = s.kernels().getOrCreate(request);
            pretty.info(kernel.ref().created() ? "Session ID " + token + " is created and ready."
                    : "Session ID " + token + " is already running and ready.");
            if (!kernel.ref().servicePorts().isEmpty()) {
                pretty.info("This session provides the following app services: " + String.join(", ",
                        kernel.ref().servicePorts().stream().map(p -> p.name()).toList()));
            }
            return 0;
        }
    }
}
