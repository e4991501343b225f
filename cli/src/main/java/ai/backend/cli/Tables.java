package ai.backend.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Tables in tabulate's "simple" format, as 19.03 prints them: numbers right-aligned, two spaces apart. */
final class Tables {
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?");

    private Tables() {
    }

    static List<String> simple(List<String> headers, List<List<String>> rows) {
        int n = headers.size();
        int[] width = new int[n];
        boolean[] numeric = new boolean[n];
        for (int c = 0; c < n; c++) {
            width[c] = headers.get(c).length();
            boolean allNumbers = !rows.isEmpty();
            for (List<String> row : rows) {
                String v = row.get(c) == null ? "" : row.get(c);
                width[c] = Math.max(width[c], v.length());
                allNumbers &= v.isEmpty() || NUMBER.matcher(v).matches();
            }
            numeric[c] = allNumbers;
        }
        List<String> lines = new ArrayList<>();
        lines.add(line(headers, width, numeric));
        StringBuilder rule = new StringBuilder();
        for (int c = 0; c < n; c++) {
            rule.append(c == 0 ? "" : "  ").append("-".repeat(width[c]));
        }
        lines.add(rule.toString());
        for (List<String> row : rows) {
            lines.add(line(row, width, numeric));
        }
        return lines;
    }

    private static String line(List<String> cells, int[] width, boolean[] numeric) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < width.length; c++) {
            String v = cells.get(c) == null ? "" : cells.get(c);
            String pad = " ".repeat(width[c] - v.length());
            sb.append(c == 0 ? "" : "  ").append(numeric[c] ? pad + v : v + pad);
        }
        return sb.toString().stripTrailing();
    }
}
