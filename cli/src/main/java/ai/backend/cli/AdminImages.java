package ai.backend.cli;

import ai.backend.client.Session;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code admin images}. */
@Command(name = "images", mixinStandardHelpOptions = true, description = "Show the list of registered images in this cluster.")
final class AdminImages extends AdminSupport {
    static final String[][] LABELS = {{"name", "Name"}, {"registry", "Registry"}, {"tag", "Tag"}, {"digest", "Digest"},
        {"size_bytes", "Size"}, {"aliases", "Aliases"}};
    static final String QUERY = "query {\n  images {\n    name registry tag digest size_bytes aliases\n  }\n}";

    @Mixin
    Output output;

    @Override
    public Integer call() {
        boolean json = output.json(spec);
        try (Session s = session()) {
            JsonNode images = query(s, QUERY, null).path("images");
            if (json) {
                System.out.println(images.isArray() ? images.toPrettyString() : "[]");
                return 0;
            }
            if (!images.isArray() || images.isEmpty()) {
                pretty.info("There are no registered images.");
                return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode i : images) {
                List<String> r = row(i, LABELS);
                JsonNode size = i.get("size_bytes");
                if (size != null && size.isFloatingPointNumber()) {
                    r.set(4, String.format(Locale.ROOT, "%,.0f", size.asDouble()));
                }
                rows.add(r);
            }
            Tables.simple(headers(LABELS), rows).forEach(System.out::println);
            return 0;
        }
    }
}
