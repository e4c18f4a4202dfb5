package io.spikeforge.runner.pipeline;

import io.spikeforge.engine.data.ImageShape;
import io.spikeforge.engine.model.Model;
import io.spikeforge.runner.config.ComponentSlot;
import io.spikeforge.runner.config.DistillExperiment;
import io.spikeforge.runner.config.ModelConfig;
import io.spikeforge.runner.config.TrainingConfig;
import io.spikeforge.runner.plugin.ComponentProviders;
import io.spikeforge.runner.plugin.RegisteredComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The kind {@code distill}, IDSNN's pipeline. Phases: the teacher is trained
 * ({@link TrainPhase}, {@code teacher.training}) or, with {@code teacher.weights}, loaded and
 * evaluated ({@link EvaluatePhase}); the student is initialized from it ({@link InitializePhase},
 * the {@code initialization} slot) and trained with the {@code distillation} loss from the frozen
 * teacher ({@link TrainPhase}, {@code training}). Models: {@code teacher}, {@code student}.
 */
final class DistillKind implements Kind<DistillExperiment> {
    static final DistillKind INSTANCE = new DistillKind();

    /** The teacher's name in listener calls, metrics, checkpoints and file names. */
    static final String TEACHER = ExperimentPipeline.TEACHER;
    /** The student's name in listener calls, metrics, checkpoints and file names. */
    static final String STUDENT = ExperimentPipeline.STUDENT;

    private DistillKind() {
    }

    @Override
    public Class<DistillExperiment> type() {
        return DistillExperiment.class;
    }

    @Override
    public List<ExperimentMemory.Part> memory(DistillExperiment experiment, ImageShape input, int classes,
                                              OptionalInt trainImages, OptionalInt testImages) {
        TrainingConfig teacherTraining = experiment.teacher().training();
        TrainingConfig studentTraining = experiment.training();
        Set<Integer> studentTrainBatches = ExperimentMemory.batches(studentTraining.batchSize(), trainImages);
        Set<Integer> teacherForward = new LinkedHashSet<>(ExperimentMemory.batches(teacherTraining.batchSize(),
                testImages));
        if (experiment.distillation().isPresent()) {
            teacherForward.addAll(studentTrainBatches);
        }
        boolean teacherTrained = experiment.teacher().weights().isEmpty();
        ModelConfig teacher = experiment.teacher().model();
        ModelConfig student = experiment.student().model();
        List<ExperimentMemory.Part> parts = new ArrayList<>();
        parts.add(new ExperimentMemory.Part(TEACHER, ExperimentMemory.keys("teacher.model", teacher, teacherTrained
                        ? "teacher.training.batch_size " + teacherTraining.batchSize() : "teacher.weights loaded"),
                ModelFactory.builder(teacher, input, classes, 0, ModelFactory.NO_NEURONS)
                        .estimateMemory(input.side(), teacherTrained
                                ? ExperimentMemory.batches(teacherTraining.batchSize(), trainImages)
                                : Set.of(), teacherForward)));
        parts.add(new ExperimentMemory.Part(STUDENT, ExperimentMemory.keys("student.model", student,
                        "training.batch_size " + studentTraining.batchSize()),
                ModelFactory.builder(student, input, classes, 0, ModelFactory.NO_NEURONS)
                        .estimateMemory(input.side(), studentTrainBatches,
                                ExperimentMemory.batches(studentTraining.batchSize(), testImages))));
        parts.add(ExperimentMemory.loader(input, trainImages, testImages, "teacher.training.batch_size "
                + teacherTraining.batchSize() + ", training.batch_size " + studentTraining.batchSize(),
                Math.max(teacherTraining.batchSize(), studentTraining.batchSize())));
        return parts;
    }

    @Override
    public List<RegisteredComponent> components(DistillExperiment experiment) {
        List<RegisteredComponent> used = new ArrayList<>(List.of(experiment.neuron().component(),
                experiment.surrogate().component()));
        experiment.teacher().model().activation().map(ComponentSlot::component).ifPresent(used::add);
        experiment.student().model().activation().map(ComponentSlot::component).ifPresent(used::add);
        experiment.initialization().map(ComponentSlot::component).ifPresent(used::add);
        experiment.distillation().map(ComponentSlot::component).ifPresent(used::add);
        return used;
    }

    @Override
    public Plan plan(DistillExperiment experiment, DataPreparation data, Seeds seeds, ComponentProviders providers)
            throws RunSetupException {
        int classes = data.dataset().classCount();
        ImageShape input = data.dataset().shape();
        Model teacher = RunComponents.buildModel(TEACHER, experiment.teacher().model(), input, classes,
                seeds.weights(TEACHER), experiment.neuron(),
                ModelFactory.neurons(providers, experiment.neuron(), experiment.surrogate()), providers);
        Optional<Path> weights = experiment.teacher().weights();
        RunComponents components = RunComponents.create(experiment, providers, teacher, input, classes,
                seeds.weights(STUDENT));
        Model student = components.student();
        List<Phase> phases = new ArrayList<>();
        phases.add(weights.isPresent()
                ? new EvaluatePhase(TEACHER, teacher, components.teacherTraining().settings().batchSize(), STUDENT)
                : TrainPhase.alone(TEACHER, teacher, components.teacherTraining()));
        phases.add(new InitializePhase(STUDENT, student, teacher, experiment.initialization().flatMap(slot ->
                components.initialization().map(strategy -> new InitializePhase.Initialization(slot, strategy))),
                components.studentTraining().settings().batchSize()));
        phases.add(new TrainPhase(STUDENT, student, components.studentTraining(), Optional.of(TEACHER),
                components.distillation().map(loss -> new TrainPhase.Distillation(teacher, loss)),
                () -> weights.isPresent() ? Map.of(Checkpoints.TEACHER_WEIGHTS_SHA256,
                        WeightsFile.sha256("teacher.weights", weights.get())) : Map.of()));
        return new Plan(phases, resumption -> {
            if (weights.isPresent()) {
                WeightsFile.requireUnchanged(resumption, STUDENT, "teacher.weights", weights.get(),
                        Checkpoints.TEACHER_WEIGHTS_SHA256);
            }
        }, () -> {
            if (weights.isPresent()) {
                WeightsFile.load("teacher.weights", "teacher.model", weights.get(), teacher);
            }
        });
    }
}
