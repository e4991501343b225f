package ai.backend.local.api;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the request date forms the manager accepts (protocol §2.4): ISO-8601 with or without an offset,
 * {@code %Y%m%dT%H:%M:%S}, RFC 1123 and RFC 822 with common zone abbreviations.
 */
final class DateHeaders {
    private static final Map<String, ZoneOffset> ZONES = Map.ofEntries(
            Map.entry("GMT", ZoneOffset.UTC), Map.entry("UTC", ZoneOffset.UTC), Map.entry("UT", ZoneOffset.UTC),
            Map.entry("Z", ZoneOffset.UTC), Map.entry("KST", ZoneOffset.ofHours(9)),
            Map.entry("JST", ZoneOffset.ofHours(9)), Map.entry("EST", ZoneOffset.ofHours(-5)),
            Map.entry("EDT", ZoneOffset.ofHours(-4)), Map.entry("CST", ZoneOffset.ofHours(-6)),
            Map.entry("CDT", ZoneOffset.ofHours(-5)), Map.entry("MST", ZoneOffset.ofHours(-7)),
            Map.entry("MDT", ZoneOffset.ofHours(-6)), Map.entry("PST", ZoneOffset.ofHours(-8)),
            Map.entry("PDT", ZoneOffset.ofHours(-7)), Map.entry("CET", ZoneOffset.ofHours(1)),
            Map.entry("CEST", ZoneOffset.ofHours(2)), Map.entry("EET", ZoneOffset.ofHours(2)),
            Map.entry("EEST", ZoneOffset.ofHours(3)), Map.entry("BST", ZoneOffset.ofHours(1)),
            Map.entry("IST", ZoneOffset.ofHoursMinutes(5, 30)), Map.entry("HKT", ZoneOffset.ofHours(8)),
            Map.entry("SGT", ZoneOffset.ofHours(8)), Map.entry("AEST", ZoneOffset.ofHours(10)),
            Map.entry("AEDT", ZoneOffset.ofHours(11)));
    private static final Pattern RFC_822 = Pattern.compile(
            "(?:[A-Za-z]{3},\\s*)?(\\d{1,2})\\s+([A-Za-z]{3})\\s+(\\d{2,4})\\s+(\\d{1,2}):(\\d{2})(?::(\\d{2}))?\\s*([A-Za-z]+|[+-]\\d{4})?");
    private static final DateTimeFormatter COMPACT = DateTimeFormatter.ofPattern("uuuuMMdd'T'HH:mm:ss", Locale.ROOT);
    private static final String[] MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};

    private DateHeaders() {
    }

    /** Parses a date header, keeping the offset written in it; null when it cannot be parsed. */
    static OffsetDateTime parse(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            return OffsetDateTime.parse(v);
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return LocalDateTime.parse(v).atOffset(ZoneOffset.UTC);
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return LocalDateTime.parse(v, COMPACT).atOffset(ZoneOffset.UTC);
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        Matcher m = RFC_822.matcher(v);
        if (m.matches()) {
            int month = monthIndex(m.group(2));
            if (month < 0) {
                return null;
            }
            int year = Integer.parseInt(m.group(3));
            if (year < 100) {
                year += year < 70 ? 2000 : 1900;
            }
            ZoneOffset offset = ZoneOffset.UTC;
            String zone = m.group(7);
            if (zone != null) {
                if (zone.startsWith("+") || zone.startsWith("-")) {
                    offset = ZoneOffset.ofHoursMinutes(Integer.parseInt(zone.substring(0, 3)),
                            Integer.parseInt(zone.charAt(0) + zone.substring(3)));
                } else {
                    offset = ZONES.get(zone.toUpperCase(Locale.ROOT));
                    if (offset == null) {
                        return null;
                    }
                }
            }
            try {
                return OffsetDateTime.of(LocalDate.of(year, month + 1, Integer.parseInt(m.group(1))).atTime(
                        Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                        m.group(6) == null ? 0 : Integer.parseInt(m.group(6))), offset);
            } catch (java.time.DateTimeException e) {
                return null;
            }
        }
        return null;
    }

    private static int monthIndex(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (int i = 0; i < MONTHS.length; i++) {
            if (MONTHS[i].equals(lower)) {
                return i;
            }
        }
        return -1;
    }
}
