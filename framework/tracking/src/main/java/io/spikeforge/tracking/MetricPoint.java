package io.spikeforge.tracking;

import java.util.Locale;

/**
 * One metric value. Equality compares values as {@link Double#compare} does, so a NaN point
 * equals itself: that is what de-duplication against a server needs.
 *
 * @param key the metric's key
 * @param value the value
 * @param timestamp milliseconds since the epoch
 * @param step the training step (or epoch) it belongs to
 */
record MetricPoint(String key, double value, long timestamp, long step) {
    /** The file store's line for this point, without the newline: {@code "<ts> <value> <step>"}. */
    String fileStoreLine() {
        return timestamp + " " + PythonFloat.repr(value) + " " + step;
    }

    /**
     * Reads a file-store line: {@code "<ts> <value> <step>"}, or {@code "<ts> <value>"} (step 0)
     * as old MLflow versions wrote.
     *
     * @throws IllegalArgumentException if the line is not of that form
     */
    static MetricPoint parse(String key, String line) {
        String[] parts = line.strip().split(" ");
        if (parts.length != 2 && parts.length != 3) {
            throw new IllegalArgumentException("malformed line of metric '" + key + "': '" + line + "'");
        }
        try {
            return new MetricPoint(key, parseValue(parts[1]), Long.parseLong(parts[0]),
                    parts.length == 3 ? Long.parseLong(parts[2]) : 0);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed line of metric '" + key + "': '" + line + "'", e);
        }
    }

    /** Python's float() spellings of the non-finite values, besides Java's own. */
    private static double parseValue(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "nan", "+nan", "-nan" -> Double.NaN;
            case "inf", "+inf", "infinity", "+infinity" -> Double.POSITIVE_INFINITY;
            case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }
}
