package io.spikeforge.runner.config;

import io.spikeforge.api.convert.ThresholdGranularity;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The {@code conversion} section of a {@code convert} experiment.
 *
 * @param thresholds the threshold strategy that sets each spiking layer's thresholds
 * @param granularity one threshold per layer or per channel
 * @param initialMembrane each neuron's membrane potential before the first step, as a fraction of its threshold
 * @param calibrationBatches training batches (of {@code training.batch_size}, not augmented) the
 *     thresholds are calibrated on
 * @param calibrationTimeSteps the number of time-steps T the thresholds are tuned for
 * @param timeSteps the time-steps the converted network's accuracy is reported at, strictly increasing
 * @param analysis where the error analysis is measured
 */
public record ConversionConfig(ComponentSlot thresholds, ThresholdGranularity granularity, double initialMembrane,
                               int calibrationBatches, int calibrationTimeSteps, List<Integer> timeSteps,
                               AnalysisConfig analysis) {
    public ConversionConfig {
        Objects.requireNonNull(thresholds, "thresholds");
        Objects.requireNonNull(granularity, "granularity");
        timeSteps = List.copyOf(timeSteps);
        Objects.requireNonNull(analysis, "analysis");
        if (timeSteps.isEmpty()) {
            throw new IllegalArgumentException("timeSteps must not be empty");
        }
    }

    /** The time-steps the one pass of the converted network runs to: the largest evaluated or analysed. */
    public int maxTimeSteps() {
        TreeSet<Integer> all = new TreeSet<>(timeSteps);
        all.addAll(analysis.timeSteps(this));
        return Collections.max(all);
    }
}
