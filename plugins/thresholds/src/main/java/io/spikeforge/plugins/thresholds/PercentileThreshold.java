package io.spikeforge.plugins.thresholds;

import io.spikeforge.api.convert.LayerCalibration;
import io.spikeforge.api.convert.ThresholdStrategy;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The {@code p}-th percentile of the ANN activations of the layer, or of each channel: robust to the
 * few outliers that make the maximum a poor threshold (Rueckauer et al. 2017's robust normalization,
 * SpikingJelly's {@code mode="99.9%"}).
 *
 * <p>Exact: the value numpy's {@code percentile} gives (linear interpolation between the two nearest
 * ranks), found by selection in a few passes over the activations without copying them ({@link
 * OrderStatistics}). With {@code includeZeros} false (the default) only positive activations count,
 * as in Rueckauer et al.'s code; true takes all values, as SpikingJelly does, which on a ReLU layer
 * with many zeros gives a lower threshold. A channel whose percentile is not positive is dead (see
 * {@link Thresholds}).
 */
public final class PercentileThreshold implements ThresholdStrategy {
    private final double percentile;
    private final boolean includeZeros;

    /**
     * @param percentile in (0, 100]
     * @param includeZeros whether activations that are 0 (or negative) count
     */
    public PercentileThreshold(double percentile, boolean includeZeros) {
        if (!(percentile > 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + percentile);
        }
        this.percentile = percentile;
        this.includeZeros = includeZeros;
    }

    public double percentile() {
        return percentile;
    }

    public boolean includeZeros() {
        return includeZeros;
    }

    @Override
    public INDArray thresholds(LayerCalibration layer) {
        ActivationScan scan = new ActivationScan(layer);
        return Thresholds.of(OrderStatistics.percentiles(scan, percentile, includeZeros), scan::maxima);
    }

    @Override
    public String toString() {
        return "percentile(p=" + percentile + ", include_zeros=" + includeZeros + ")";
    }
}
