package io.spikeforge.engine.train;

import io.spikeforge.engine.energy.EnergyReport;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A model's performance on a set of images, measured in evaluation mode.
 *
 * @param accuracy top-1 accuracy in [0, 1]
 * @param loss the mean cross-entropy per image
 * @param firingRates per spiking layer (names as {@link io.spikeforge.engine.model.Model#firingRates()}),
 *     the fraction of neurons and time steps that spiked, averaged over the images; empty for an ANN
 * @param images the number of images evaluated
 * @param energy the model's operations and energy per image, averaged over the images; empty for a
 *     model that cannot count them, or an evaluation recorded without them
 * @param perClass the accuracy on each class; empty for an evaluation recorded without it
 */
public record EvaluationResult(double accuracy, double loss, Map<String, Double> firingRates, int images,
                               Optional<EnergyReport> energy, Optional<ClassAccuracy> perClass) {
    public EvaluationResult {
        firingRates = Collections.unmodifiableMap(new LinkedHashMap<>(firingRates));
        Objects.requireNonNull(energy, "energy");
        Objects.requireNonNull(perClass, "perClass");
    }

    /** An evaluation without per-class accuracies. */
    public EvaluationResult(double accuracy, double loss, Map<String, Double> firingRates, int images,
                            Optional<EnergyReport> energy) {
        this(accuracy, loss, firingRates, images, energy, Optional.empty());
    }

    /** An evaluation without an energy report. */
    public EvaluationResult(double accuracy, double loss, Map<String, Double> firingRates, int images) {
        this(accuracy, loss, firingRates, images, Optional.empty(), Optional.empty());
    }

    /** The mean of the per-layer firing rates, NaN for an ANN. */
    public double meanFiringRate() {
        return firingRates.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
