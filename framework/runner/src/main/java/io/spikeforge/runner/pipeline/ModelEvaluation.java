package io.spikeforge.runner.pipeline;

import io.spikeforge.engine.data.GenerationProgress;
import io.spikeforge.engine.data.ImageShape;
import io.spikeforge.engine.model.Model;
import io.spikeforge.engine.model.NeuronFactory;
import io.spikeforge.engine.train.EvaluationResult;
import io.spikeforge.engine.train.Evaluator;
import io.spikeforge.runner.config.ComponentSlot;
import io.spikeforge.runner.config.ConvertExperiment;
import io.spikeforge.runner.config.DistillExperiment;
import io.spikeforge.runner.config.Experiment;
import io.spikeforge.runner.config.ModelConfig;
import io.spikeforge.runner.config.TrainExperiment;
import io.spikeforge.runner.plugin.ComponentProviders;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;

/**
 * Evaluates a weights file (safetensors under PyTorch's state-dict names, from PyTorch or
 * Spikeforge, or a Spikeforge checkpoint) on an experiment's test set, with the model one of the
 * experiment's model sections describes: what {@code spikeforge eval} does. Nothing is written;
 * a synthetic set the experiment names is generated first where it is absent, as a run would.
 */
public final class ModelEvaluation {
    private ModelEvaluation() {
    }

    /**
     * A model section of an experiment that can be evaluated.
     *
     * @param name the model's name in the experiment: {@code teacher}, {@code student} or {@code model}
     * @param key the section's key, for messages: {@code teacher.model}, {@code student.model} or {@code model}
     * @param config the section
     * @param batchSize the batch size of the training section that trains it
     * @param neuron the neuron slot its spiking layers take (null for an ANN-only kind)
     * @param surrogate the surrogate slot its neurons take (null for an ANN-only kind)
     */
    public record Section(String name, String key, ModelConfig config, int batchSize, ComponentSlot neuron,
                          ComponentSlot surrogate) {
        public Section {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(config, "config");
        }
    }

    /**
     * What an evaluation gives.
     *
     * @param section the model section the model was built from
     * @param model the model with the file's weights
     * @param weights the weights file
     * @param result accuracy, loss, per-class accuracy, firing rates, operations and energy on the test set
     */
    public record Evaluated(Section section, Model model, Path weights, EvaluationResult result) {
    }

    /**
     * The experiment's model sections by name, the default first: a {@code distill} experiment's
     * {@code student} and {@code teacher}, the {@code model} of the other kinds.
     */
    public static Map<String, Section> sections(Experiment experiment) {
        Map<String, Section> sections = new LinkedHashMap<>();
        if (experiment instanceof DistillExperiment distill) {
            sections.put(ExperimentPipeline.STUDENT, new Section(ExperimentPipeline.STUDENT, "student.model",
                    distill.student().model(), distill.training().batchSize(), distill.neuron(), distill.surrogate()));
            sections.put(ExperimentPipeline.TEACHER, new Section(ExperimentPipeline.TEACHER, "teacher.model",
                    distill.teacher().model(), distill.teacher().training().batchSize(), distill.neuron(),
                    distill.surrogate()));
        } else if (experiment instanceof TrainExperiment train) {
            sections.put(ExperimentPipeline.MODEL, new Section(ExperimentPipeline.MODEL, "model", train.model(),
                    train.training().batchSize(), train.neuron(), train.surrogate()));
        } else if (experiment instanceof ConvertExperiment convert) {
            sections.put(ExperimentPipeline.MODEL, new Section(ExperimentPipeline.MODEL, "model", convert.model(),
                    convert.training().batchSize(), null, null));
        }
        return sections;
    }

    /**
     * The section called {@code name}, or the experiment's default one when {@code name} is empty.
     *
     * @throws RunSetupException naming the sections the experiment has when it has none called {@code name}
     */
    public static Section section(Experiment experiment, Optional<String> name) throws RunSetupException {
        Map<String, Section> sections = sections(experiment);
        if (name.isEmpty()) {
            return sections.values().iterator().next();
        }
        Section section = sections.get(name.get());
        if (section == null) {
            throw new RunSetupException("a " + experiment.kind().yamlName() + " experiment has no model '" + name.get()
                    + "'; it has " + String.join(", ", new ArrayList<>(sections.keySet())));
        }
        return section;
    }

    /**
     * Builds the section's model for the experiment's data set, loads the weights into it and
     * evaluates it on every test image (the experiment's {@code dataset.test_limit} applies).
     *
     * @param batchSize images per batch; the section's training batch size when empty
     * @param progress reports the generation of a synthetic set the experiment names and lacks
     * @param stopRequested checked before each batch
     * @return the evaluation, or empty when stopped
     * @throws RunSetupException naming the key or file when the data, the model or the weights cannot
     *     be used (a tensor of the file that the model lacks, or of another shape, is named with both shapes)
     */
    public static Optional<Evaluated> evaluate(Experiment experiment, Section section, Path weights,
                                               ComponentProviders providers, OptionalInt batchSize,
                                               GenerationProgress progress, BooleanSupplier stopRequested)
            throws RunSetupException {
        Seeds seeds = Seeds.of(experiment.experiment().seed());
        DataPreparation data = DataPreparation.load(experiment.dataset(), seeds.syntheticData(), progress);
        Model model = build(section, data.dataset().shape(), data.dataset().classCount(), seeds, providers);
        WeightsFile.load("weights", section.key(), weights, model);
        Optional<EvaluationResult> result = Evaluator.evaluate(model,
                data.evaluation(batchSize.orElse(section.batchSize())), stopRequested);
        return result.map(r -> new Evaluated(section, model, weights, r));
    }

    /**
     * The section's model with its initial weights, for images of {@code input}: what
     * {@code spikeforge summary} describes and {@link #evaluate} loads weights into.
     */
    public static Model build(Section section, ImageShape input, int classes, ComponentProviders providers)
            throws RunSetupException {
        return build(section, input, classes, Seeds.of(0), providers);
    }

    private static Model build(Section section, ImageShape input, int classes, Seeds seeds,
                               ComponentProviders providers) throws RunSetupException {
        boolean spiking = section.config().architecture().spiking();
        NeuronFactory neurons = ModelFactory.NO_NEURONS;
        if (spiking) {
            RunComponents.trySpiking(providers, section.neuron(), section.surrogate());
            neurons = ModelFactory.neurons(providers, section.neuron(), section.surrogate());
        }
        return RunComponents.buildModel(section.name(), section.config(), input, classes,
                seeds.weights(section.name()), spiking ? section.neuron() : null, neurons, providers);
    }
}
