package ai.backend.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Formats a session's final statistics as 19.03 does: a two-column table without headers (tabulate's
 * "simple" format), sizes humanized in binary units, {@code cpu_used} shown as {@code cpu_used_msec}, other
 * numbers with thousands separators.
 */
final class StatsTable {
    private StatsTable() {
    }

    /** Binary sizes as Python's {@code humanize.naturalsize(binary=True)}: {@code 1 Byte}, {@code 4.0 KiB}. */
    static String naturalSize(long bytes) {
        if (bytes == 1) {
            return "1 Byte";
        }
        if (Math.abs(bytes) < 1024) {
            return bytes + " Bytes";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double value = bytes;
        int unit = -1;
        while (Math.abs(value) >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /**
     * The table lines.
     *
     * @param dropped keys left out (run leaves out the {@code precpu*} and {@code cpu_system_used} keys)
     */
    static List<String> format(JsonNode stats, Set<String> dropped) {
        List<String[]> rows = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = stats.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            if (dropped.contains(key)) {
                continue;
            }
            JsonNode v = e.getValue();
            String value;
            if (v == null || v.isNull()) {
                value = "";
            } else if ((key.endsWith("_size") || key.endsWith("_bytes")) && v.isNumber()) {
                value = naturalSize(v.asLong());
            } else if (v.isNumber()) {
                value = String.format(Locale.ROOT, "%,d", v.asLong());
            } else {
                value = v.asText();
            }
            rows.add(new String[] {key.equals("cpu_used") ? "cpu_used_msec" : key, value});
        }
        int w0 = 0;
        int w1 = 0;
        for (String[] r : rows) {
            w0 = Math.max(w0, r[0].length());
            w1 = Math.max(w1, r[1].length());
        }
        List<String> lines = new ArrayList<>();
        String rule = "-".repeat(w0) + "  " + "-".repeat(w1);
        lines.add(rule);
        for (String[] r : rows) {
            lines.add(pad(r[0], w0) + "  " + pad(r[1], w1));
        }
        lines.add(rule);
        return lines;
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }
}
