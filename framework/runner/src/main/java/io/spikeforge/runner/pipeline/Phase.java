package io.spikeforge.runner.pipeline;

import java.io.IOException;

/**
 * One named step of an experiment kind (train a model, evaluate a loaded one, initialize one model
 * from another, ...). A kind is a sequence of phases; they share the run folder, its checkpoints,
 * the listeners (metrics, plots, tracking, progress), the stop request and the end status, all
 * held by the {@link RunState} the runner passes them.
 *
 * <p>The resume contract: a phase that trains ({@link #checkpointed()}) writes
 * {@code checkpoints/<model>-last.safetensors} and {@code -best} through
 * {@link RunState#trainingLoop}, and on {@code --resume} continues from its last checkpoint
 * ({@link RunState#resumption()}), or skips to its end when that checkpoint is complete. A phase
 * that does not train (an evaluation, an initialization) writes no checkpoint: it runs again unless
 * a later phase of the same model, or of a model after it, has a checkpoint (then its work is in
 * that checkpoint and it is skipped). A phase saves its model's final weights
 * ({@link RunState#save}), also when a stop cuts it short.
 */
interface Phase {
    /** The model the phase works on: it names its metrics rows, checkpoints and weights file. */
    String model();

    /** Whether the phase trains, writing checkpoints of {@link #model()} that {@code --resume} continues from. */
    boolean checkpointed();

    /**
     * Runs the phase, or on a resumed run continues or skips it.
     *
     * @return false when a stop request cut it short (the run ends as interrupted)
     */
    boolean run(RunState run) throws IOException;
}
