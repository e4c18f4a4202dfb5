package io.spikeforge.api.config;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/** How values appear in messages: described with their kind, numbers as YAML writes them. */
public final class ValueText {
    private ValueText() {
    }

    /**
     * A value as YAML read it, described with its kind for messages: "the string 'four'", "the
     * integer 5", "the number 0.5", "a list", "nothing".
     */
    public static String describe(Object value) {
        if (value == null) {
            return "nothing";
        }
        if (value instanceof String) {
            return "the string '" + value + "'";
        }
        if (value instanceof Boolean) {
            return "the boolean " + value;
        }
        if (value instanceof Double || value instanceof Float) {
            return "the number " + number(((Number) value).doubleValue());
        }
        if (value instanceof Number) {
            return "the integer " + value;
        }
        if (value instanceof Map) {
            return "a mapping";
        }
        if (value instanceof List) {
            return "a list";
        }
        return "a " + value.getClass().getSimpleName();
    }

    /**
     * A number as YAML writes it, whole numbers without a decimal point: {@code 0.5}, {@code 4},
     * {@code .inf}, {@code -.inf}, {@code .nan}.
     */
    public static String number(double value) {
        if (Double.isNaN(value)) {
            return ".nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? ".inf" : "-.inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    /** True for a whole number as YAML reads one (Integer, Long or BigInteger). */
    static boolean isInteger(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger;
    }

    /** The hint for text that YAML read as something else: an unquoted {@code 2024} is a number. */
    public static String quoteHint(Object value) {
        return value instanceof String || value instanceof Map || value instanceof List ? ""
                : " (put it in quotes to use it as text)";
    }
}
