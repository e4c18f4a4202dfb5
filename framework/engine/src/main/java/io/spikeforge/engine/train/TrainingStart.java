package io.spikeforge.engine.train;

import java.util.Objects;

/**
 * What a {@link TrainingLoop} is about to do.
 *
 * @param model the name the loop was given, such as {@code teacher} or {@code student}
 * @param epochs the number of epochs
 * @param stepsPerEpoch optimization steps in every epoch
 * @param evaluationBatches test batches evaluated after every epoch
 */
public record TrainingStart(String model, int epochs, int stepsPerEpoch, int evaluationBatches) {
    public TrainingStart {
        Objects.requireNonNull(model, "model");
    }
}
