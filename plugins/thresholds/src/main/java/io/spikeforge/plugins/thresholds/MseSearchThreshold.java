package io.spikeforge.plugins.thresholds;

import io.spikeforge.api.convert.LayerCalibration;
import io.spikeforge.api.convert.ThresholdStrategy;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * SNN Calibration's threshold search (Li et al., ICML 2021): of the candidates {@code theta_i = max *
 * (1 - 0.01 i)}, {@code i = 0 .. steps - 1}, where {@code max} is the layer's (or channel's) largest
 * activation, the one with the least quantization error, the mean of {@code (a - q_T(a))^2} over the
 * ANN activations {@code a}, {@code q_T} being the T-step quantization of an IF neuron on a constant
 * current (docs/conversion.md). Ties go to the larger threshold (fewer spikes).
 *
 * <p>The error is computed here from the activations, in one pass for all candidates, rather than by
 * {@link LayerCalibration#measure}: the quantization error needs nothing else, while {@code measure}
 * also runs the layer over T steps on its spiking input for the deviation error, about T times the
 * work per candidate, and a hundred candidates per layer make that matter. The formula is the one
 * {@code measure} reports as {@link io.spikeforge.api.convert.ConversionError#quantization}; the
 * plugin's tests check the two agree.
 */
public final class MseSearchThreshold implements ThresholdStrategy {
    /** The fraction of the maximum between neighbouring candidates. */
    static final double STEP = 0.01;

    private final int steps;

    /** @param steps the number of candidates, in [1, 100] */
    public MseSearchThreshold(int steps) {
        if (steps < 1 || steps > 100) {
            throw new IllegalArgumentException("steps must be in [1, 100], got " + steps);
        }
        this.steps = steps;
    }

    public int steps() {
        return steps;
    }

    @Override
    public INDArray thresholds(LayerCalibration layer) {
        ActivationScan scan = new ActivationScan(layer);
        double[] maxima = scan.maxima();
        double[][] candidates = new double[maxima.length][];
        for (int g = 0; g < maxima.length; g++) {
            if (Thresholds.usable(maxima[g])) {
                candidates[g] = new double[steps];
                for (int i = 0; i < steps; i++) {
                    candidates[g][i] = maxima[g] * (1 - STEP * i);
                }
            }
        }
        double[][] errors = quantizationErrors(scan, candidates);
        double[] chosen = new double[maxima.length];
        for (int g = 0; g < maxima.length; g++) {
            if (candidates[g] == null) {
                continue;
            }
            int best = 0;
            for (int i = 1; i < steps; i++) {
                if (errors[g][i] < errors[g][best]) {
                    best = i;
                }
            }
            chosen[g] = candidates[g][best];
        }
        return Thresholds.of(chosen, () -> maxima);
    }

    /**
     * The quantization error of each group at each of its candidate thresholds (null candidates are
     * skipped): the mean over the group's activations of {@code (a - q_T(a))^2}.
     */
    static double[][] quantizationErrors(ActivationScan scan, double[][] candidates) {
        LayerCalibration layer = scan.layer();
        int timeSteps = layer.timeSteps();
        double initialMembrane = layer.initialMembrane();
        double[][] sums = new double[candidates.length][];
        long[] counts = new long[candidates.length];
        for (int g = 0; g < candidates.length; g++) {
            sums[g] = candidates[g] == null ? null : new double[candidates[g].length];
        }
        // q_T(0) = 0 while the initial membrane stays below the threshold, so zeros (half of a ReLU
        // layer) add exactly nothing: the candidates loop over the other values only.
        boolean skipZeros = initialMembrane < 1;
        double[][] scratch = new double[1][0];
        scan.forEach((group, values, from, to) -> {
            counts[group] += to - from;
            double[] thetas = candidates[group];
            if (thetas == null) {
                return;
            }
            double[] kept = values;
            int start = from;
            int end = to;
            if (skipZeros) {
                if (scratch[0].length < to - from) {
                    scratch[0] = new double[to - from];
                }
                kept = scratch[0];
                start = 0;
                end = 0;
                for (int i = from; i < to; i++) {
                    if (values[i] != 0) {
                        kept[end++] = values[i];
                    }
                }
            }
            for (int c = 0; c < thetas.length; c++) {
                double theta = thetas[c];
                double level = theta / timeSteps;
                double sum = 0;
                for (int i = start; i < end; i++) {
                    double a = kept[i];
                    // q_T(a) written as docs/conversion.md states it, so that it rounds as measure() does
                    double spikes = Math.min(Math.max(Math.floor(a * timeSteps / theta + initialMembrane), 0), timeSteps);
                    double error = a - level * spikes;
                    sum += error * error;
                }
                sums[group][c] += sum;
            }
        });
        for (int g = 0; g < candidates.length; g++) {
            if (sums[g] != null) {
                for (int c = 0; c < sums[g].length; c++) {
                    sums[g][c] /= counts[g];
                }
            }
        }
        return sums;
    }

    @Override
    public String toString() {
        return "mse-search(steps=" + steps + ")";
    }
}
