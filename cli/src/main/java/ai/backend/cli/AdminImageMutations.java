package ai.backend.cli;

import ai.backend.client.Session;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code admin rescan-images}, {@code admin alias-image} and {@code admin dealias-image}: the 19.03 messages;
 * a refused mutation prints the server's message on stderr and exits 1 (19.03 exits 0).
 */
final class AdminImageMutations {
    static final String RESCAN = "mutation($registry: String) {\n  rescan_images(registry:$registry) {\n    ok msg\n  }\n}";
    static final String ALIAS = "mutation($alias: String!, $target: String!) {\n"
            + "  alias_image(alias: $alias, target: $target) {\n    ok msg\n  }\n}";
    static final String DEALIAS = "mutation($alias: String!) {\n  dealias_image(alias: $alias) {\n    ok msg\n  }\n}";

    private AdminImageMutations() {
    }

    @Command(name = "rescan-images", mixinStandardHelpOptions = true,
            description = "Update the kernel image metadata from all configured docker registries.")
    static final class Rescan extends AdminSupport {
        @Option(names = {"-r", "--registry"}, paramLabel = "NAME",
                description = "The name (usually hostname or \"lablup\") of the Docker registry configured.")
        String registry;

        @Override
        public Integer call() {
            try (Session s = session()) {
                JsonNode r = query(s, RESCAN, vars("registry", registry)).path("rescan_images");
                return report(r, "kernel image metadata updated", "rescanning failed: ");
            }
        }
    }

    @Command(name = "alias-image", mixinStandardHelpOptions = true, description = "Add an image alias.")
    static final class Alias extends AdminSupport {
        @Parameters(index = "0", paramLabel = "ALIAS")
        String alias;

        @Parameters(index = "1", paramLabel = "TARGET")
        String target;

        @Override
        public Integer call() {
            try (Session s = session()) {
                JsonNode r = query(s, ALIAS, vars("alias", alias, "target", target)).path("alias_image");
                return report(r, "alias " + alias + " created for target " + target, "");
            }
        }
    }

    @Command(name = "dealias-image", mixinStandardHelpOptions = true, description = "Remove an image alias.")
    static final class Dealias extends AdminSupport {
        @Parameters(index = "0", paramLabel = "ALIAS")
        String alias;

        @Override
        public Integer call() {
            try (Session s = session()) {
                JsonNode r = query(s, DEALIAS, vars("alias", alias)).path("dealias_image");
                return report(r, "alias " + alias + " removed.", "");
            }
        }
    }
}
