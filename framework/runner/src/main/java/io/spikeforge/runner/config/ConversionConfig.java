package io.spikeforge.runner.config;

import io.spikeforge.api.convert.ThresholdGranularity;
import io.spikeforge.engine.convert.ConversionSettings;
import io.spikeforge.engine.convert.NeuronPlacement;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The {@code conversion} section of a {@code convert} experiment.
 *
 * @param thresholds the threshold strategy that sets each spiking layer's thresholds
 * @param granularity one threshold per layer or per channel
 * @param initialMembrane each neuron's membrane potential before the first step, as a fraction of its
 *     threshold, in [0, 1)
 * @param placement where a ResNet's neurons sit in its residual blocks
 * @param calibrationBatches training batches (of {@code training.batch_size}, not augmented) the
 *     thresholds are calibrated on
 * @param calibrationTimeSteps the number of time-steps T the thresholds are tuned for
 * @param timeSteps the time-steps the converted network's accuracy is reported at, strictly increasing
 * @param analysis where the error analysis is measured
 */
public record ConversionConfig(ComponentSlot thresholds, ThresholdGranularity granularity, double initialMembrane,
                               NeuronPlacement placement, int calibrationBatches, int calibrationTimeSteps, List<Integer> timeSteps,
                               AnalysisConfig analysis) {
    public ConversionConfig {
        Objects.requireNonNull(thresholds, "thresholds");
        Objects.requireNonNull(granularity, "granularity");
        Objects.requireNonNull(placement, "placement");
        timeSteps = List.copyOf(timeSteps);
        Objects.requireNonNull(analysis, "analysis");
        if (timeSteps.isEmpty()) {
            throw new IllegalArgumentException("timeSteps must not be empty");
        }
    }

    /** The engine's settings of the conversion. */
    public ConversionSettings settings() {
        return ConversionSettings.builder().optGranularity(granularity).optInitialMembrane(initialMembrane)
                .optPlacement(placement).optCalibrationTimeSteps(calibrationTimeSteps).build();
    }

    /** The time-steps the one pass of the converted network runs to: the largest evaluated or analysed. */
    public int maxTimeSteps() {
        TreeSet<Integer> all = new TreeSet<>(timeSteps);
        all.addAll(analysis.timeSteps(this));
        return Collections.max(all);
    }
}
