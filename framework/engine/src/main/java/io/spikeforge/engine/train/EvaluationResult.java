package io.spikeforge.engine.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model's performance on a set of images, measured in evaluation mode.
 *
 * @param accuracy top-1 accuracy in [0, 1]
 * @param loss the mean cross-entropy per image
 * @param firingRates per spiking layer (names as {@link io.spikeforge.engine.model.Model#firingRates()}),
 *     the fraction of neurons and time steps that spiked, averaged over the images; empty for an ANN
 * @param images the number of images evaluated
 */
public record EvaluationResult(double accuracy, double loss, Map<String, Double> firingRates, int images) {
    public EvaluationResult {
        firingRates = Collections.unmodifiableMap(new LinkedHashMap<>(firingRates));
    }

    /** The mean of the per-layer firing rates, NaN for an ANN. */
    public double meanFiringRate() {
        return firingRates.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
