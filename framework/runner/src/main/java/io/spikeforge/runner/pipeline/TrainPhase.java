package io.spikeforge.runner.pipeline;

import io.spikeforge.api.distill.DistillationLoss;
import io.spikeforge.engine.model.Model;
import io.spikeforge.engine.train.TrainingLoop;
import io.spikeforge.engine.train.TrainingResult;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Trains a model with cross-entropy, plus a distillation loss from a frozen teacher when given,
 * evaluating it after every epoch. Checkpointed: on {@code --resume} it continues from its last
 * checkpoint, or only saves the weights when that checkpoint is of its last epoch.
 */
final class TrainPhase implements Phase {
    /**
     * Distillation from a teacher.
     *
     * @param teacher the frozen teacher, run forward on each batch
     * @param loss the loss added to cross-entropy
     */
    record Distillation(Model teacher, DistillationLoss loss) {
    }

    private final String model;
    private final Model network;
    private final ModelFactory.Training training;
    private final Optional<String> teacher;
    private final Optional<Distillation> distillation;
    private final Supplier<Map<String, String>> extraMetadata;

    /**
     * @param model the model's name
     * @param network the model, randomly initialized, loaded or initialized by an earlier phase
     * @param training what it trains with
     * @param teacher the model whose final evaluation its checkpoints record, if it learns from one
     * @param distillation the distillation loss and the teacher it distills from, if any
     * @param extraMetadata more checkpoint metadata, read when the training starts
     */
    TrainPhase(String model, Model network, ModelFactory.Training training, Optional<String> teacher,
               Optional<Distillation> distillation, Supplier<Map<String, String>> extraMetadata) {
        this.model = Objects.requireNonNull(model, "model");
        this.network = Objects.requireNonNull(network, "network");
        this.training = Objects.requireNonNull(training, "training");
        this.teacher = Objects.requireNonNull(teacher, "teacher");
        this.distillation = Objects.requireNonNull(distillation, "distillation");
        this.extraMetadata = Objects.requireNonNull(extraMetadata, "extraMetadata");
    }

    /** A model trained alone with cross-entropy. */
    static TrainPhase alone(String model, Model network, ModelFactory.Training training) {
        return new TrainPhase(model, network, training, Optional.empty(), Optional.empty(), Map::of);
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public boolean checkpointed() {
        return true;
    }

    @Override
    public boolean run(RunState run) throws IOException {
        Optional<Checkpoints.Saved> saved = run.resumption().last(model);
        if (saved.isPresent()) {
            saved.get().checkpoint().restore(network, training.optimizer());
            run.record(model, saved.get().evaluation());
            if (saved.get().complete()) {
                run.save(model, network);
                run.trained(model);
                return true;
            }
        }
        TrainingLoop.Builder loop = run.trainingLoop(model, network, training,
                saved.map(Checkpoints.Saved::epochsCompleted).orElse(0),
                saved.map(Checkpoints.Saved::best).orElse(Checkpoints.Best.NONE),
                teacher.flatMap(run::evaluation), extraMetadata.get());
        distillation.ifPresent(d -> loop.distillFrom(d.teacher(), d.loss()));
        TrainingResult result = loop.build().run();
        result.lastEpoch().ifPresent(last -> run.record(model, last.evaluation()));
        run.save(model, network);
        if (!result.stopped()) {
            run.trained(model);
        }
        return !result.stopped();
    }
}
