package io.spikeforge.runner.config;

import java.util.List;
import java.util.Optional;

/**
 * The {@code conversion.analysis} section: where the error analysis of a converted network is measured.
 *
 * @param images the first test images the analysis runs on
 * @param timeSteps the time-steps it is reported for; empty for every one of {@code conversion.time_steps}
 */
public record AnalysisConfig(int images, Optional<List<Integer>> timeSteps) {
    public AnalysisConfig {
        if (images < 1) {
            throw new IllegalArgumentException("images must be positive, got " + images);
        }
        timeSteps = timeSteps.map(List::copyOf);
    }

    /** The time-steps of the analysis: its own, else those of the evaluation. */
    public List<Integer> timeSteps(ConversionConfig conversion) {
        return timeSteps.orElse(conversion.timeSteps());
    }
}
