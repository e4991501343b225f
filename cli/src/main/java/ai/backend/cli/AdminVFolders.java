package ai.backend.cli;

import ai.backend.client.Session;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code admin vfolders [--access-key AK]}: the virtual folders a keypair owns (all folders without one). */
@Command(name = "vfolders", mixinStandardHelpOptions = true,
        description = "List virtual folders owned by the given access key (all of them if omitted).")
final class AdminVFolders extends AdminSupport {
    static final String[][] LABELS = {{"name", "Name"}, {"created_at", "Created At"}, {"last_used", "Last Used"},
        {"max_files", "Max Files"}, {"max_size", "Max Size"}};
    static final String ALL = "query {\n  vfolders {\n    %s\n  }\n}";
    static final String OF_KEY = "query($ak:String) {\n  vfolders(access_key:$ak) {\n    %s\n  }\n}";

    @Option(names = "--access-key", paramLabel = "ACCESS_KEY",
            description = "Show only the folders owned by this access key.")
    String accessKey;

    @Mixin
    Output output;

    @Override
    public Integer call() {
        boolean json = output.json(spec);
        try (Session s = session()) {
            JsonNode folders = accessKey == null
                    ? query(s, String.format(ALL, fields(LABELS)), null).path("vfolders")
                    : query(s, String.format(OF_KEY, fields(LABELS)), vars("ak", accessKey)).path("vfolders");
            if (json) {
                System.out.println(folders.isArray() ? folders.toPrettyString() : "[]");
                return 0;
            }
            printTable(folders, LABELS);
            return 0;
        }
    }
}
