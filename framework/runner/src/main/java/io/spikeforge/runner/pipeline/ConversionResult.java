package io.spikeforge.runner.pipeline;

import io.spikeforge.engine.convert.ConversionErrorRow;
import io.spikeforge.engine.convert.ConversionEvaluation;
import java.util.List;
import java.util.Objects;

/**
 * What a {@code convert} run measured of its converted network.
 *
 * @param evaluation accuracy at each evaluated T and the ANN's on the same test images, energy, firing rates
 * @param errors the error analysis: one row per analysed T and spiking layer
 * @param calibrated true when the thresholds were calibrated in this process, false when a resumed
 *     run read them from the run folder's {@value RunFolder#THRESHOLDS}
 */
public record ConversionResult(ConversionEvaluation evaluation, List<ConversionErrorRow> errors, boolean calibrated) {
    public ConversionResult {
        Objects.requireNonNull(evaluation, "evaluation");
        errors = List.copyOf(errors);
    }

    /** The largest evaluated T. */
    public int maxTimeSteps() {
        return evaluation.accuracy().lastKey();
    }
}
