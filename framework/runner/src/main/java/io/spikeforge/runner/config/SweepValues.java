package io.spikeforge.runner.config;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hydra's sweep syntax for an override's value: {@code a,b,c} is three values, {@code range(1,4)}
 * the integers 1, 2, 3 and {@code range(0,1,0.25)} the numbers 0.0, 0.25, 0.5, 0.75 (start,
 * stop exclusive, step 1 by default, as Python's and Hydra's {@code range}). Commas inside
 * brackets, braces, parentheses or quotes do not separate values: {@code [16,32,64]} and
 * {@code "a,b"} are one value each.
 */
public final class SweepValues {
    private static final Pattern RANGE = Pattern.compile("range\\(([^,()]*),([^,()]*)(?:,([^,()]*))?\\)");
    /** A range longer than this is a mistake (a step of the wrong sign or size), not a sweep. */
    private static final int MAX_RANGE = 10_000;

    private SweepValues() {
    }

    /**
     * The values {@code value} stands for, in order: one (itself) unless it holds commas at the top
     * level or is a {@code range(...)}.
     *
     * @throws IllegalArgumentException when a range is malformed or empty, a bracket or quote is
     *     not closed, or a value between commas is empty; the message says what was expected
     */
    public static List<String> of(String value) {
        List<String> parts = splitTopLevel(value);
        if (parts.size() == 1) {
            String only = parts.get(0).strip();
            return only.startsWith("range(") ? range(only) : List.of(value);
        }
        List<String> values = new ArrayList<>();
        for (String part : parts) {
            String item = part.strip();
            if (item.isEmpty()) {
                throw new IllegalArgumentException("an empty value between commas in '" + value
                        + "': expected values separated by commas, such as 1,2,3");
            }
            if (item.startsWith("range(")) {
                throw new IllegalArgumentException("range(...) cannot be one of several values in '" + value
                        + "': write the range alone, such as range(1,4)");
            }
            values.add(item);
        }
        return values;
    }

    private static List<String> splitTopLevel(String value) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote == '"') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '[' || c == '{' || c == '(') {
                depth++;
            } else if (c == ']' || c == '}' || c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(value.substring(start, i));
                start = i + 1;
            }
        }
        if (quote != 0 || depth != 0) {
            throw new IllegalArgumentException("'" + value + "' has " + (quote != 0 ? "a quote" : "a bracket")
                    + " that is not closed: expected a value such as [16,32,64], \"a,b\" or a,b,c");
        }
        parts.add(value.substring(start));
        return parts;
    }

    private static List<String> range(String text) {
        Matcher m = RANGE.matcher(text);
        String expected = ": expected range(start, stop) or range(start, stop, step) with numbers, such as "
                + "range(1,4) or range(0,1,0.25)";
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a range" + expected);
        }
        BigDecimal start;
        BigDecimal stop;
        BigDecimal step;
        try {
            start = new BigDecimal(m.group(1).strip());
            stop = new BigDecimal(m.group(2).strip());
            step = m.group(3) == null ? BigDecimal.ONE : new BigDecimal(m.group(3).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a range" + expected, e);
        }
        if (step.signum() == 0) {
            throw new IllegalArgumentException("'" + text + "': the step of a range cannot be 0");
        }
        boolean integers = isInteger(m.group(1)) && isInteger(m.group(2))
                && (m.group(3) == null || isInteger(m.group(3)));
        List<String> values = new ArrayList<>();
        for (BigDecimal x = start; step.signum() > 0 ? x.compareTo(stop) < 0 : x.compareTo(stop) > 0;
             x = x.add(step)) {
            if (values.size() == MAX_RANGE) {
                throw new IllegalArgumentException("'" + text + "' has more than " + MAX_RANGE + " values");
            }
            String plain = x.stripTrailingZeros().toPlainString();
            values.add(integers || plain.contains(".") ? plain : plain + ".0");
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' is empty: the stop must lie "
                    + (step.signum() > 0 ? "above" : "below") + " the start");
        }
        return values;
    }

    private static boolean isInteger(String text) {
        return text.strip().matches("[+-]?\\d+");
    }
}
