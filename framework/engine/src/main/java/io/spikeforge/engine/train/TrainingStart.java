package io.spikeforge.engine.train;

import java.util.Objects;

/**
 * What a {@link TrainingLoop} is about to do.
 *
 * @param model the name the loop was given, such as {@code teacher} or {@code student}
 * @param epochs the number of epochs
 * @param stepsPerEpoch optimization steps in every epoch
 * @param evaluationBatches test batches evaluated after every epoch
 * @param firstEpoch the epoch training starts at, from 0: epochs already completed when a run resumes
 *     from a checkpoint
 */
public record TrainingStart(String model, int epochs, int stepsPerEpoch, int evaluationBatches, int firstEpoch) {
    public TrainingStart {
        Objects.requireNonNull(model, "model");
    }

    /** A training that starts at epoch 0. */
    public TrainingStart(String model, int epochs, int stepsPerEpoch, int evaluationBatches) {
        this(model, epochs, stepsPerEpoch, evaluationBatches, 0);
    }

    /** Optimization steps still to run. */
    public long remainingSteps() {
        return (long) (epochs - firstEpoch) * stepsPerEpoch;
    }
}
