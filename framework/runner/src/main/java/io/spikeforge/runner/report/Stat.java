package io.spikeforge.runner.report;

import java.util.List;

/**
 * The mean and sample standard deviation (n - 1 in the denominator) of the values that are
 * known (NaN values are left out).
 *
 * @param n how many values were known
 * @param std NaN when fewer than two values were known
 */
record Stat(double mean, double std, int n) {
    static final Stat NONE = new Stat(Double.NaN, Double.NaN, 0);

    static Stat of(List<Double> values) {
        double[] known = values.stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).toArray();
        if (known.length == 0) {
            return NONE;
        }
        double sum = 0;
        for (double v : known) {
            sum += v;
        }
        double mean = sum / known.length;
        if (known.length == 1) {
            return new Stat(mean, Double.NaN, 1);
        }
        double squares = 0;
        for (double v : known) {
            squares += (v - mean) * (v - mean);
        }
        return new Stat(mean, Math.sqrt(squares / (known.length - 1)), known.length);
    }

    boolean isKnown() {
        return n > 0;
    }
}
