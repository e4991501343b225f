package ai.backend.client.kernel;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Resource statistics of a destroyed session (protocol §3.2.3): CPU in milliseconds, the rest in bytes.
 * Fields the server did not send are -1. {@link #raw()} keeps the JSON as received.
 */
public record ContainerStats(long cpuUsed, long memMaxBytes, long memCurBytes, long netRxBytes, long netTxBytes,
                             long ioReadBytes, long ioWriteBytes, long ioMaxScratchSize, long ioCurScratchSize,
                             JsonNode raw) {
    /** Parses a stats object; returns null for a missing or null one. */
    public static ContainerStats fromJson(JsonNode node) {
        if (node == null || node.isNull() || !node.isObject()) {
            return null;
        }
        return new ContainerStats(num(node, "cpu_used"), num(node, "mem_max_bytes"), num(node, "mem_cur_bytes"),
                num(node, "net_rx_bytes"), num(node, "net_tx_bytes"), num(node, "io_read_bytes"),
                num(node, "io_write_bytes"), num(node, "io_max_scratch_size"), num(node, "io_cur_scratch_size"), node);
    }

    private static long num(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isNumber() ? -1 : v.asLong();
    }
}
