package io.spikeforge.plugins.thresholds;

import io.spikeforge.api.convert.ConversionError;
import io.spikeforge.api.convert.LayerCalibration;
import io.spikeforge.api.convert.ThresholdStrategy;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Threshold tuning driven by the conversion error analysis, after Meng et al. 2022 ("TTRBR"). The
 * paper's text is not available, so the rule is Spikeforge's own: each threshold minimizes the
 * measured quantization plus deviation error ({@link ConversionError#total()}) over a grid of
 * candidates, so that it accounts for the input current that really reaches the layer over time
 * (layers before it already spiking), not only for the ANN activations as {@code mse-search} does.
 *
 * <p>Candidates: {@code grid} fractions evenly spaced from {@code maxFraction} down to {@code
 * minFraction} of a reference, the {@code referencePercentile}-th percentile of the positive
 * activations of the layer or channel (100: the maximum). Each grid point costs one {@link
 * LayerCalibration#measure} call for the whole layer: with one threshold per channel, every channel
 * is measured at its own candidate at once, since a channel's error depends only on its own threshold
 * (its neurons' input comes from earlier layers). Ties go to the larger threshold (fewer spikes).
 * Dead channels keep the rule of {@link Thresholds} and are not searched.
 */
public final class TtrbrThreshold implements ThresholdStrategy {
    private final int grid;
    private final double minFraction;
    private final double maxFraction;
    private final double referencePercentile;

    /**
     * @param grid the number of candidates, at least 2
     * @param minFraction the smallest candidate as a fraction of the reference, positive
     * @param maxFraction the largest, above {@code minFraction}
     * @param referencePercentile in (0, 100]
     */
    public TtrbrThreshold(int grid, double minFraction, double maxFraction, double referencePercentile) {
        if (grid < 2) {
            throw new IllegalArgumentException("grid must be at least 2, got " + grid);
        }
        if (!(minFraction > 0 && minFraction < maxFraction && Double.isFinite(maxFraction))) {
            throw new IllegalArgumentException("fractions must satisfy 0 < min_fraction < max_fraction < infinity, got "
                    + minFraction + " and " + maxFraction);
        }
        if (!(referencePercentile > 0 && referencePercentile <= 100)) {
            throw new IllegalArgumentException("reference_percentile must be in (0, 100], got " + referencePercentile);
        }
        this.grid = grid;
        this.minFraction = minFraction;
        this.maxFraction = maxFraction;
        this.referencePercentile = referencePercentile;
    }

    /** The candidates' fractions of the reference, largest first. */
    double[] fractions() {
        double[] fractions = new double[grid];
        for (int j = 0; j < grid; j++) {
            fractions[j] = maxFraction - (maxFraction - minFraction) * j / (grid - 1);
        }
        return fractions;
    }

    @Override
    public INDArray thresholds(LayerCalibration layer) {
        ActivationScan scan = new ActivationScan(layer);
        double[] maxima = scan.maxima();
        double[] reference = referencePercentile == 100 ? maxima
                : OrderStatistics.percentiles(scan, referencePercentile, false);
        int groups = reference.length;
        double deadThreshold = Thresholds.dead(Thresholds.layerMaximum(maxima));
        boolean[] searched = new boolean[groups];
        double[] chosen = new double[groups];
        double[] best = new double[groups];
        Arrays.fill(best, Double.POSITIVE_INFINITY);
        boolean any = false;
        for (int g = 0; g < groups; g++) {
            searched[g] = Thresholds.usable(reference[g]) && Thresholds.usable(maxima[g]);
            chosen[g] = deadThreshold;
            any |= searched[g];
        }
        if (!any) {
            return Nd4j.createFromArray(chosen);
        }
        double[] candidate = chosen.clone();
        for (double fraction : fractions()) {
            for (int g = 0; g < groups; g++) {
                if (searched[g]) {
                    candidate[g] = reference[g] * fraction;
                }
            }
            double[] total = layer.measure(Nd4j.createFromArray(candidate)).total();
            for (int g = 0; g < groups; g++) {
                if (searched[g] && total[g] < best[g]) {
                    best[g] = total[g];
                    chosen[g] = candidate[g];
                }
            }
        }
        for (int g = 0; g < groups; g++) {
            if (searched[g] && best[g] == Double.POSITIVE_INFINITY) {
                throw new IllegalStateException("layer " + layer.layerName() + ": the measured conversion error of "
                        + (groups == 1 ? "the layer" : "channel " + g) + " is not a number at every candidate threshold");
            }
        }
        return Thresholds.of(chosen, () -> maxima);
    }

    @Override
    public String toString() {
        return "ttrbr(grid=" + grid + ", min_fraction=" + minFraction + ", max_fraction=" + maxFraction
                + ", reference_percentile=" + referencePercentile + ")";
    }
}
