package ai.backend.local.agent;

import ai.backend.client.internal.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The result of one execute call (protocol §4.3) with its console already aggregated (§4.4): consecutive
 * stdout or stderr chunks merged, order kept, each record at most {@link #MAX_RECORD_CHARS} characters.
 */
public record ExecutionOutcome(String runId, String status, Integer exitCode, boolean passwordPrompt,
                               List<ExecutionOutcome.Item> console, List<OutputFile> files) {
    public ExecutionOutcome(String runId, String status, Integer exitCode, boolean passwordPrompt, List<Item> console) {
        this(runId, status, exitCode, passwordPrompt, console, List.of());
    }

    /** A file the run wrote under {@code .output}: its path relative to it, and where it can be fetched. */
    public record OutputFile(String name, String url) {
    }

    /** One console record: {@code mime} is set for media records only. */
    public record Item(String type, String text, String mime) {
    }

    /** 10 MiB per console record, as the agent truncates. */
    public static final int MAX_RECORD_CHARS = 10 * 1024 * 1024;

    /** The JSON object of §4.3; {@code withRunId} false gives the streamed form, which has no runId. */
    public ObjectNode toJson(boolean withRunId) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        if (withRunId) {
            node.put("runId", runId);
        }
        node.put("status", status);
        if (exitCode == null) {
            node.putNull("exitCode");
        } else {
            node.put("exitCode", exitCode);
        }
        if (status.equals("waiting-input")) {
            node.putObject("options").put("is_password", passwordPrompt);
        } else {
            node.putNull("options");
        }
        ArrayNode fileItems = node.putArray("files");
        for (OutputFile f : files) {
            fileItems.addObject().put("name", f.name()).put("url", f.url());
        }
        ArrayNode items = node.putArray("console");
        for (Item record : console) {
            ArrayNode item = items.addArray().add(record.type());
            if (record.mime() != null) {
                item.addArray().add(record.mime()).add(record.text());
            } else {
                item.add(record.text());
            }
        }
        return node;
    }

    /** Collects console records, merging consecutive stdout/stderr text. Not thread-safe. */
    static final class ConsoleBuilder {
        private final List<Item> records = new ArrayList<>();
        private String openType;
        private StringBuilder open;
        private long size;

        /** Characters collected so far. */
        long size() {
            return size;
        }

        void text(String type, String text) {
            size += text.length();
            if (type.equals(openType) && open.length() + text.length() <= MAX_RECORD_CHARS) {
                open.append(text);
                return;
            }
            closeOpen();
            openType = type;
            open = new StringBuilder(text.length() > MAX_RECORD_CHARS ? text.substring(0, MAX_RECORD_CHARS) : text);
        }

        void media(String mime, String content) {
            size += content.length();
            closeOpen();
            records.add(new Item("media", content, mime));
        }

        void other(String type, String content) {
            closeOpen();
            records.add(new Item(type, content, null));
        }

        private void closeOpen() {
            if (openType != null) {
                records.add(new Item(openType, open.toString(), null));
                openType = null;
                open = null;
            }
        }

        List<Item> build() {
            closeOpen();
            return records;
        }
    }
}
