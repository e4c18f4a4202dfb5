package io.spikeforge.engine.train;

/**
 * Receives what a {@link TrainingLoop} does, as it happens: the seam through which progress bars,
 * metric files, plots and experiment trackers follow a run without the loop knowing them.
 *
 * <p>Calls come on the training thread, in this order: {@link #onTrainingStart} once, then for each
 * epoch one {@link #onStep} per optimization step followed by one {@link #onEpoch} after the
 * epoch's evaluation. A stopped run ends after any step, without the rest of its epoch's calls.
 * A listener should return quickly (a slow one slows training down); an exception it throws ends
 * the training and reaches the caller of {@link TrainingLoop#run()}. Every method does nothing by
 * default, so a listener implements only what it needs.
 */
public interface TrainingListener {
    /** Before the first step. */
    default void onTrainingStart(TrainingStart start) {
    }

    /** After each optimization step, once the parameters are updated. */
    default void onStep(StepResult step) {
    }

    /** After each epoch's training steps and its evaluation on the test set. */
    default void onEpoch(EpochResult epoch) {
    }
}
