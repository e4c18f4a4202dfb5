package io.spikeforge.runner.pipeline;

import io.spikeforge.engine.io.Safetensors;
import io.spikeforge.engine.io.WeightImport;
import io.spikeforge.engine.model.Model;
import io.spikeforge.engine.train.EvaluationResult;
import io.spikeforge.engine.train.TrainingLoop;
import io.spikeforge.runner.config.Experiment;
import io.spikeforge.runner.config.TrainingConfig;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What the phases of one run share: the experiment, the run folder, the data, the seeds, the
 * listeners, the checkpoints and where a resumed run continues, the stop request, and each model's
 * last evaluation (the run's result).
 */
final class RunState {
    private final Experiment experiment;
    private final RunFolder folder;
    private final DataPreparation data;
    private final Seeds seeds;
    private final List<RunListener> listeners;
    private final Checkpoints checkpoints;
    private final Resumption resumption;
    private final BooleanSupplier stopRequested;
    private final Map<String, EvaluationResult> evaluations = new LinkedHashMap<>();

    RunState(Experiment experiment, RunFolder folder, DataPreparation data, Seeds seeds, List<RunListener> listeners,
             Checkpoints checkpoints, Resumption resumption, BooleanSupplier stopRequested) {
        this.experiment = experiment;
        this.folder = folder;
        this.data = data;
        this.seeds = seeds;
        this.listeners = List.copyOf(listeners);
        this.checkpoints = checkpoints;
        this.resumption = resumption;
        this.stopRequested = stopRequested;
    }

    Experiment experiment() {
        return experiment;
    }

    RunFolder folder() {
        return folder;
    }

    DataPreparation data() {
        return data;
    }

    Seeds seeds() {
        return seeds;
    }

    List<RunListener> listeners() {
        return listeners;
    }

    Resumption resumption() {
        return resumption;
    }

    BooleanSupplier stopRequested() {
        return stopRequested;
    }

    /** The model's last evaluation on the test set, if it got one. */
    Optional<EvaluationResult> evaluation(String model) {
        return Optional.ofNullable(evaluations.get(model));
    }

    /** Records the model's latest evaluation (the run's result), without telling the listeners. */
    void record(String model, EvaluationResult evaluation) {
        evaluations.put(model, evaluation);
    }

    /** Records an evaluation outside a training epoch and tells the listeners (metrics row of epoch 0). */
    void evaluated(String model, EvaluationResult evaluation) {
        record(model, evaluation);
        listeners.forEach(l -> l.onEvaluation(model, evaluation));
    }

    /** Every model's last evaluation, in the order the models were first evaluated. */
    Map<String, EvaluationResult> evaluations() {
        return evaluations;
    }

    /**
     * A training loop from the given epoch, its listeners the run's followed by the checkpoint
     * writer (so a checkpoint is written once its epoch's metrics are).
     *
     * @param teacherEvaluation stored with the checkpoints of a model distilled from a teacher
     * @param extra more checkpoint metadata
     */
    TrainingLoop.Builder trainingLoop(String name, Model model, ModelFactory.Training training, int completedEpochs,
                                      Checkpoints.Best best, Optional<EvaluationResult> teacherEvaluation,
                                      Map<String, String> extra) {
        TrainingConfig settings = training.settings();
        long dataSeed = seeds.data(name);
        TrainingLoop.Builder loop = TrainingLoop.builder(name, model, data.training(settings.batchSize(), dataSeed),
                        data.evaluation(settings.batchSize()))
                .optimizer(training.optimizer(), training.schedule(), settings.epochs())
                .divergence(training.divergence())
                .startAt(completedEpochs)
                .stopWhen(stopRequested);
        listeners.forEach(loop::listener);
        loop.listener(checkpoints.writer(name, model, training.optimizer(), settings.epochs(),
                experiment.outputs().checkpointEvery(), dataSeed, best, teacherEvaluation, extra));
        return loop;
    }

    /** Tells the listeners that a model finished its training and its final weights are written. */
    void trained(String name) {
        listeners.forEach(listener -> listener.onModelTrained(name, folder.file(name + ".safetensors")));
    }

    /** Writes the model's final weights, {@code <name>.safetensors}, with its name and architecture. */
    void save(String name, Model model) throws IOException {
        Safetensors.write(folder.file(name + ".safetensors"), model.stateDict(), Map.of(WeightImport.MODEL_KEY,
                name, WeightImport.ARCHITECTURE_KEY, model.architecture(), "experiment",
                experiment.experiment().name()));
    }
}
