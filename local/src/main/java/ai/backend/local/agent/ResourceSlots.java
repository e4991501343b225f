package ai.backend.local.agent;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resource slot amounts (protocol §3.2.1): {@code cpu} counts (decimals quantized to 3 digits) and
 * {@code mem} bytes ({@code 512m}, {@code 4g}, {@code 4GiB}, a plain integer is bytes, {@code inf} is
 * unlimited), and {@code cuda.device} counts on machines with GPUs. Immutable; slots keep the order cpu, mem,
 * cuda.device.
 */
public final class ResourceSlots {
    /** The slot types every agent has and their units. */
    public static final Map<String, String> KNOWN = Map.of("cpu", "count", "mem", "bytes");
    /** Every slot type this server can parse: the known ones and whole CUDA devices (on machines that have them). */
    public static final Map<String, String> UNITS = Map.of("cpu", "count", "mem", "bytes", Accelerators.CUDA_SLOT, "count");
    private static final String[] ORDER = {"cpu", "mem", Accelerators.CUDA_SLOT};
    private static final BigDecimal INFINITE = new BigDecimal("1e30");
    private static final Pattern BYTES = Pattern.compile(
            "(?i)\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([kmgtpezy])?(ib|ibyte|ibytes|b|byte|bytes)?\\s*");
    private static final String SUFFIXES = "kmgtpezy";

    private final Map<String, BigDecimal> values;

    private ResourceSlots(Map<String, BigDecimal> values) {
        this.values = values;
    }

    public static ResourceSlots of(Map<String, BigDecimal> values) {
        Map<String, BigDecimal> ordered = new LinkedHashMap<>();
        for (String slot : ORDER) {
            if (values.containsKey(slot)) {
                ordered.put(slot, values.get(slot));
            }
        }
        return new ResourceSlots(ordered);
    }

    /**
     * Parses one value for a slot.
     *
     * @throws IllegalArgumentException with a message for the client when it cannot be parsed
     */
    public static BigDecimal parse(String slot, String text) {
        String unit = UNITS.get(slot);
        if (unit == null) {
            throw new IllegalArgumentException("Unknown requested resource slot: " + slot);
        }
        String t = text.trim();
        if (t.toLowerCase(Locale.ROOT).startsWith("inf")) {
            return INFINITE;
        }
        if (unit.equals("count")) {
            try {
                BigDecimal v = new BigDecimal(t).setScale(3, RoundingMode.DOWN);
                if (v.signum() < 0) {
                    throw new IllegalArgumentException("Invalid resource value: " + slot + "=" + text);
                }
                return v;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Invalid resource value: " + slot + "=" + text);
            }
        }
        Matcher m = BYTES.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("Invalid resource value: " + slot + "=" + text);
        }
        BigDecimal n = new BigDecimal(m.group(1));
        if (m.group(2) != null) {
            int power = SUFFIXES.indexOf(m.group(2).toLowerCase(Locale.ROOT)) + 1;
            n = n.multiply(BigDecimal.valueOf(1024).pow(power));
        } else if (m.group(3) != null && !m.group(3).toLowerCase(Locale.ROOT).startsWith("b")) {
            throw new IllegalArgumentException("Invalid resource value: " + slot + "=" + text);
        }
        return n.setScale(0, RoundingMode.DOWN);
    }

    public BigDecimal get(String slot) {
        return values.getOrDefault(slot, BigDecimal.ZERO);
    }

    public Map<String, BigDecimal> values() {
        return values;
    }

    public static boolean isInfinite(BigDecimal v) {
        return v.compareTo(INFINITE) >= 0;
    }

    /** Whether every slot of this is at most the same slot of {@code other} (missing there: unlimited). */
    public boolean fitsIn(ResourceSlots other) {
        for (Map.Entry<String, BigDecimal> e : values.entrySet()) {
            BigDecimal limit = other.values.get(e.getKey());
            if (limit != null && e.getValue().compareTo(limit) > 0) {
                return false;
            }
        }
        return true;
    }

    public ResourceSlots plus(ResourceSlots other) {
        Map<String, BigDecimal> sum = new LinkedHashMap<>(values);
        other.values.forEach((k, v) -> sum.merge(k, v, BigDecimal::add));
        return of(sum);
    }

    /** A value as the manager prints it: {@code 1}, {@code 0.5}, {@code 256m}, {@code 1g}. */
    public static String format(String slot, BigDecimal v) {
        if (isInfinite(v)) {
            return "Infinity";
        }
        if ("bytes".equals(UNITS.get(slot))) {
            long bytes = v.longValue();
            String[] units = {"", "k", "m", "g", "t", "p"};
            int i = 0;
            while (i < units.length - 1 && bytes != 0 && bytes % 1024 == 0) {
                bytes /= 1024;
                i++;
            }
            return bytes + units[i];
        }
        return v.stripTrailingZeros().toPlainString();
    }

    /** The slots as {@code cpu=1 mem=256m}, for messages. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        values.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(format(k, v)));
        return sb.toString();
    }

    /** The slots as the JSON-able map the manager stores: decimal strings ({@code "1"}, {@code "268435456"}). */
    public Map<String, String> toStrings() {
        Map<String, String> m = new LinkedHashMap<>();
        values.forEach((k, v) -> m.put(k, isInfinite(v) ? "Infinity" : v.stripTrailingZeros().toPlainString()));
        return m;
    }
}
