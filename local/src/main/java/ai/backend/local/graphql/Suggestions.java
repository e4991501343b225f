package ai.backend.local.graphql;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** graphql-core 2's "did you mean" helpers: {@code suggestion_list}, {@code lexical_distance}, {@code quoted_or_list}. */
final class Suggestions {
    private static final int MAX_LENGTH = 5;

    private Suggestions() {
    }

    /** The options close to {@code input}, nearest first (ties keep the options' order). */
    static List<String> suggestionList(String input, Collection<String> options) {
        Map<String, Integer> byDistance = new LinkedHashMap<>();
        double inputThreshold = input.length() / 2.0;
        for (String option : options) {
            int distance = lexicalDistance(input, option);
            double threshold = Math.max(Math.max(inputThreshold, option.length() / 2.0), 1);
            if (distance <= threshold) {
                byDistance.put(option, distance);
            }
        }
        List<String> out = new ArrayList<>(byDistance.keySet());
        out.sort((a, b) -> Integer.compare(byDistance.get(a), byDistance.get(b)));
        return out;
    }

    /** Edit distance (insertions, deletions, substitutions), as graphql-core 2 computes it. */
    static int lexicalDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
            }
        }
        return d[a.length()][b.length()];
    }

    /** {@code "a", "b" or "c"} (at most five items). */
    static String quotedOrList(List<String> items) {
        List<String> selected = items.subList(0, Math.min(MAX_LENGTH, items.size()));
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < selected.size(); i++) {
            if (i > 0) {
                boolean last = i == selected.size() - 1;
                b.append(selected.size() > 2 && !last ? ", " : " ");
                if (last) {
                    b.append("or ");
                }
            }
            b.append('"').append(selected.get(i)).append('"');
        }
        return b.toString();
    }
}
