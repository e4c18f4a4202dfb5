package io.spikeforge.runner.pipeline;

import io.spikeforge.engine.train.EvaluationResult;
import io.spikeforge.engine.train.TrainingListener;

/**
 * Follows a whole run: its start and end, and every training of its kind's phases through the
 * inherited {@link TrainingListener} calls, which name the model ({@code teacher} or
 * {@code student} for {@code distill}, {@code model} for {@code train}). This is how progress
 * displays and experiment trackers plug into {@link ExperimentPipeline}.
 *
 * <p>Order: {@link #onRunStart}; then the phases' calls in order (for {@code distill}: for a
 * trained teacher its training calls, for a loaded one an {@link #onEvaluation}; the student's
 * {@link #onEvaluation} right after its initialization; the student's training calls; for
 * {@code convert}: the ANN's training calls or evaluation, then {@link #onConversionProgress}
 * through calibration, evaluation and analysis, and {@link #onConversion});
 * {@link #onRunEnd}, always, also after a failure or a stop. Calls come
 * on the pipeline's thread. An exception from a listener fails the run (except from
 * {@link #onRunEnd}, where it is logged and ignored, since the run is over).
 */
public interface RunListener extends TrainingListener {
    /** The run folder exists and holds {@code config.yaml}; no model is built yet. */
    default void onRunStart(RunInfo run) {
    }

    /**
     * A model evaluated outside a training epoch: a teacher loaded from weights, or the student
     * once initialized and before its first step. The metrics file records these as epoch 0.
     *
     * @param model the model's name, such as {@code teacher} or {@code student}
     */
    default void onEvaluation(String model, EvaluationResult evaluation) {
    }

    /**
     * How far a stage of a conversion ({@code convert}) has got: after each calibrated spiking layer,
     * each evaluated batch, each analysed batch.
     *
     * @param model the converted network's name, {@code snn}
     * @param stage the stage
     * @param done units finished
     * @param total all units, or -1 when not known in advance
     * @param item what was just finished, such as {@code layer1.0.sn1}
     */
    default void onConversionProgress(String model, ConversionStage stage, int done, int total, String item) {
    }

    /**
     * A converted network was evaluated over its time-steps and analysed ({@code convert}); its files
     * ({@code accuracy-vs-timesteps.csv}, {@code conversion-errors.csv}, {@code energy.csv}, the plots)
     * are written.
     *
     * @param model the converted network's name, {@code snn}
     */
    default void onConversion(String model, ConversionResult result) {
    }

    /**
     * A model finished its training (all its epochs, in this run or before a resumption) and its
     * final weights are written: the teacher of {@code distill} before the student starts, the ANN of
     * {@code convert} before the conversion. Not called for a stopped training or a loaded model.
     *
     * @param model the model's name, such as {@code teacher}
     * @param weights its {@code <model>.safetensors} in the run folder
     */
    default void onModelTrained(String model, java.nio.file.Path weights) {
    }

    /** The run is over; every file of the run folder, {@code status} included, is written. */
    default void onRunEnd(RunResult result) {
    }
}
