package io.spikeforge.engine.train;

import java.util.List;
import java.util.Optional;

/**
 * What a {@link TrainingLoop} ended with.
 *
 * @param epochs every finished epoch, in order
 * @param stopped true when a stop request ended the training early (after some step, or during an
 *     evaluation, whose epoch is then not in {@code epochs})
 */
public record TrainingResult(List<EpochResult> epochs, boolean stopped) {
    public TrainingResult {
        epochs = List.copyOf(epochs);
    }

    /** The last finished epoch, empty when none finished. */
    public Optional<EpochResult> lastEpoch() {
        return epochs.isEmpty() ? Optional.empty() : Optional.of(epochs.get(epochs.size() - 1));
    }
}
