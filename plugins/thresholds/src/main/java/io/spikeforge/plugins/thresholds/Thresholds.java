package io.spikeforge.plugins.thresholds;

import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The result every strategy returns, and the rule for dead channels that they share.
 *
 * <p>A channel (or a layer, with one threshold per layer) is dead when none of its calibration
 * activations is positive, or when a strategy's rule gives no positive value for it (a percentile
 * of mostly zeros taken with zeros included). Its neurons then get {@value #DEAD_FRACTION} times
 * the layer's largest activation as threshold, or {@value #DEAD_LAYER_THRESHOLD} when no activation
 * of the layer is positive. A tiny threshold keeps a dead channel (nearly) silent in the converted
 * network as it is in the ANN: an IF neuron with soft reset passes on at most one threshold per
 * step, so whatever current reaches it later, it adds at most that little to the next layer.
 */
final class Thresholds {
    /** A dead channel's threshold as a fraction of the layer's largest activation. */
    static final double DEAD_FRACTION = 1e-3;
    /** The threshold of a layer none of whose activations is positive. */
    static final double DEAD_LAYER_THRESHOLD = 1e-3;

    private Thresholds() {
    }

    /** Whether a strategy's value is usable as a threshold; dead channels' values are not. */
    static boolean usable(double threshold) {
        return threshold > 0 && Double.isFinite(threshold);
    }

    /** The threshold of a dead channel of a layer whose largest activation is {@code layerMaximum}. */
    static double dead(double layerMaximum) {
        return layerMaximum > 0 ? DEAD_FRACTION * layerMaximum : DEAD_LAYER_THRESHOLD;
    }

    /** The largest of the groups' maxima, at least 0. */
    static double layerMaximum(double[] maxima) {
        double max = 0;
        for (double m : maxima) {
            max = Math.max(max, m);
        }
        return max;
    }

    /**
     * The thresholds as the API's {@code [count]} DOUBLE array, each value that is not positive and
     * finite replaced by the dead-channel threshold.
     *
     * @param maxima each group's largest activation (0 when none is positive); asked for only when
     *     a value needs replacing
     */
    static INDArray of(double[] thresholds, Supplier<double[]> maxima) {
        double[] result = thresholds.clone();
        double deadThreshold = Double.NaN;
        for (int i = 0; i < result.length; i++) {
            if (!usable(result[i])) {
                if (Double.isNaN(deadThreshold)) {
                    deadThreshold = dead(layerMaximum(maxima.get()));
                }
                result[i] = deadThreshold;
            }
        }
        return Nd4j.createFromArray(result);
    }
}
