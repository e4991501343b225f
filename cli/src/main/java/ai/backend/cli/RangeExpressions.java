package ai.backend.cli;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code --env-range}, {@code --build-range} and {@code --exec-range} expressions of {@code run}
 * ({@code NAME=case:a,b}, {@code NAME=linspace:start,stop,num}, {@code NAME=range:start,stop[,step]}) and
 * the {@code $NAME} templates they fill, as Python's {@code string.Template} does ({@code $$} is a literal
 * {@code $}). Errors are {@link IllegalArgumentException}s with a message for the user.
 */
final class RangeExpressions {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$(?:(\\$)|([_a-zA-Z][_a-zA-Z0-9]*)|\\{([_a-zA-Z][_a-zA-Z0-9]*)\\}|())");

    private RangeExpressions() {
    }

    /** Parses {@code NAME=kind:args} into the name and its values. */
    static Map.Entry<String, List<String>> parse(String expr) {
        int eq = expr.indexOf('=');
        if (eq < 0) {
            throw new IllegalArgumentException("Invalid range expression '" + expr + "' (expected NAME=case:..., NAME=range:... or NAME=linspace:...)");
        }
        String name = expr.substring(0, eq);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Invalid variable name '" + name + "' in range expression '" + expr + "'");
        }
        String spec = expr.substring(eq + 1);
        int colon = spec.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("Unrecognized range expression type in '" + expr + "'");
        }
        String kind = spec.substring(0, colon);
        String[] args = spec.substring(colon + 1).split(",", -1);
        List<String> values = new ArrayList<>();
        try {
            switch (kind) {
                case "case":
                    values.addAll(List.of(args));
                    break;
                case "range": {
                    if (args.length < 2 || args.length > 3) {
                        throw new IllegalArgumentException("range needs start,stop[,step] in '" + expr + "'");
                    }
                    BigInteger start = new BigInteger(args[0].trim());
                    BigInteger stop = new BigInteger(args[1].trim());
                    BigInteger step = args.length == 3 ? new BigInteger(args[2].trim()) : BigInteger.ONE;
                    if (step.signum() == 0) {
                        throw new IllegalArgumentException("range step must not be zero in '" + expr + "'");
                    }
                    for (BigInteger v = start; step.signum() > 0 ? v.compareTo(stop) < 0 : v.compareTo(stop) > 0; v = v.add(step)) {
                        values.add(v.toString());
                        if (values.size() > 10_000) {
                            throw new IllegalArgumentException("range has too many values in '" + expr + "'");
                        }
                    }
                    break;
                }
                case "linspace": {
                    if (args.length != 3) {
                        throw new IllegalArgumentException("linspace needs start,stop,num in '" + expr + "'");
                    }
                    BigDecimal start = new BigDecimal(args[0].trim());
                    BigDecimal stop = new BigDecimal(args[1].trim());
                    int num = Integer.parseInt(args[2].trim());
                    if (num < 2 || num > 10_000) {
                        throw new IllegalArgumentException("linspace num must be 2 to 10000 in '" + expr + "'");
                    }
                    BigDecimal step = stop.subtract(start).divide(BigDecimal.valueOf(num - 1), MathContext.DECIMAL64);
                    for (int i = 0; i < num; i++) {
                        BigDecimal v = i == num - 1 ? stop : start.add(step.multiply(BigDecimal.valueOf(i)));
                        values.add(pythonDecimal(v));
                    }
                    break;
                }
                default:
                    throw new IllegalArgumentException("Unrecognized range expression type '" + kind + "' in '" + expr + "'");
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid number in range expression '" + expr + "'");
        }
        return Map.entry(name, values);
    }

    /** A decimal as Python prints a float-like Decimal: at least one fractional digit ({@code 0.0}, {@code 0.5}). */
    static String pythonDecimal(BigDecimal v) {
        String s = v.stripTrailingZeros().toPlainString();
        return s.contains(".") ? s : s + ".0";
    }

    /** Fills {@code $NAME} / {@code ${NAME}} placeholders; {@code $$} is a literal {@code $}. */
    static String substitute(String template, Map<String, String> vars, String what) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(2) != null ? m.group(2) : m.group(3);
            String replacement;
            if (m.group(1) != null) {
                replacement = "$";
            } else if (name != null) {
                replacement = vars.get(name);
                if (replacement == null) {
                    throw new IllegalArgumentException("Unknown variable $" + name + " in " + what + " '" + template
                            + "' (define it with a range option, or write $$ for a literal $)");
                }
            } else {
                throw new IllegalArgumentException("Invalid placeholder in " + what + " '" + template + "' (write $$ for a literal $)");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** One combination to run: environment, build and exec commands. */
    record Case(Map<String, String> env, String build, String exec) {
    }

    /** The Cartesian product of the range values as 19.03 builds it; duplicates collapse, order is kept. */
    static List<Case> cases(Map<String, String> envTemplates, String build, String exec, List<String> envRanges,
                            List<String> buildRanges, List<String> execRanges) {
        List<Map<String, String>> envMaps = product(envRanges);
        List<Map<String, String>> buildMaps = product(buildRanges);
        List<Map<String, String>> execMaps = product(execRanges);
        LinkedHashSet<Case> cases = new LinkedHashSet<>();
        for (Map<String, String> ev : envMaps) {
            for (Map<String, String> bv : buildMaps) {
                for (Map<String, String> xv : execMaps) {
                    Map<String, String> env = new LinkedHashMap<>();
                    envTemplates.forEach((k, t) -> env.put(k, substitute(t, ev, "-e " + k)));
                    cases.add(new Case(env, build == null ? "*" : substitute(build, bv, "--build"),
                            exec == null ? "*" : substitute(exec, xv, "--exec")));
                }
            }
        }
        return new ArrayList<>(cases);
    }

    private static List<Map<String, String>> product(List<String> exprs) {
        List<Map<String, String>> maps = new ArrayList<>();
        maps.add(new LinkedHashMap<>());
        for (String expr : exprs) {
            Map.Entry<String, List<String>> range = parse(expr);
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> m : maps) {
                for (String v : range.getValue()) {
                    Map<String, String> copy = new LinkedHashMap<>(m);
                    copy.put(range.getKey(), v);
                    next.add(copy);
                }
            }
            maps = next;
        }
        return maps;
    }
}
