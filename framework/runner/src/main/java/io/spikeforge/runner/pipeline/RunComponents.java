package io.spikeforge.runner.pipeline;

import io.spikeforge.api.activation.AnnActivation;
import io.spikeforge.api.distill.DistillationLoss;
import io.spikeforge.api.distill.LossValue;
import io.spikeforge.api.init.InitializationStrategy;
import io.spikeforge.api.model.StateDict;
import io.spikeforge.api.neuron.SurrogateFunction;
import io.spikeforge.engine.data.ImageShape;
import io.spikeforge.engine.layer.PluginActivation;
import io.spikeforge.engine.model.AnnActivationFactory;
import io.spikeforge.engine.model.Model;
import io.spikeforge.engine.model.NeuronFactory;
import io.spikeforge.runner.config.ComponentSlot;
import io.spikeforge.runner.config.DistillExperiment;
import io.spikeforge.runner.config.ModelConfig;
import io.spikeforge.runner.plugin.ComponentProviders;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Everything a run trains with besides the teacher and the data: the optimizer, schedule and
 * divergence rule of each training section, the student, and the run's plugin components, created
 * from their resolved settings and tried before anything trains or is written. A broken plugin, or
 * a setting a component or the engine cannot work with, stops the run in seconds with a
 * {@link RunSetupException} naming the key or slot, instead of failing the run after the teacher
 * trained. A {@link LinkageError} counts as a broken plugin too (a plugin built against other
 * versions of the API or of a library than those it runs with).
 *
 * <p>Tried: the surrogate and a neuron (then every neuron, by building the student); a model
 * section's ANN activation, by building the model (each activation must be usable as a layer); the
 * distillation loss on a batch of two (its value must be finite, its gradient of the logits' shape);
 * the initialization strategy on a copy of the student's weights (it must map the teacher onto the
 * student).
 *
 * @param teacherTraining what the teacher trains with ({@code teacher.training}), unused when it is loaded
 * @param studentTraining what the student trains with ({@code training})
 * @param student the student network, randomly initialized from its seed
 * @param distillation the loss added to cross-entropy; empty without distillation
 * @param initialization the strategy that initializes the student from the teacher; empty without one
 */
record RunComponents(ModelFactory.Training teacherTraining, ModelFactory.Training studentTraining, Model student,
                     Optional<DistillationLoss> distillation, Optional<InitializationStrategy> initialization) {

    /**
     * Creates and tries every component.
     *
     * @param teacher the teacher network (trained, loaded or still random: only its structure matters here)
     * @param input the shape of the data set's images, the student's input
     * @param classes the data set's number of classes
     * @param studentSeed the seed of the student's initial weights
     */
    static RunComponents create(DistillExperiment experiment, ComponentProviders providers, Model teacher,
                                ImageShape input, int classes, long studentSeed) throws RunSetupException {
        ModelFactory.Training teacherTraining = ModelFactory.training("teacher.training",
                experiment.teacher().training());
        ModelFactory.Training studentTraining = ModelFactory.training("training", experiment.training());
        trySpiking(providers, experiment.neuron(), experiment.surrogate());
        Model student = buildModel("student", experiment.student().model(), input, classes, studentSeed,
                experiment.neuron(), ModelFactory.neurons(providers, experiment.neuron(), experiment.surrogate()),
                providers);

        Optional<DistillationLoss> distillation = Optional.empty();
        if (experiment.distillation().isPresent()) {
            ComponentSlot slot = experiment.distillation().get();
            DistillationLoss loss = create("distillation", slot,
                    () -> providers.distillationLoss(slot.id()).create(slot.parameters()));
            tryLoss(slot, loss, classes);
            distillation = Optional.of(loss);
        }

        Optional<InitializationStrategy> initialization = Optional.empty();
        if (experiment.initialization().isPresent()) {
            ComponentSlot slot = experiment.initialization().get();
            InitializationStrategy strategy = create("initialization", slot,
                    () -> providers.initializationStrategy(slot.id()).create(slot.parameters()));
            tryInitialization(slot, strategy, teacher, student);
            initialization = Optional.of(strategy);
        }
        return new RunComponents(teacherTraining, studentTraining, student, distillation, initialization);
    }

    /** Creates the surrogate and a neuron from their slots, as a spiking model will. */
    static void trySpiking(ComponentProviders providers, ComponentSlot neuron, ComponentSlot surrogateSlot)
            throws RunSetupException {
        SurrogateFunction surrogate = create("surrogate", surrogateSlot,
                () -> providers.surrogateFunction(surrogateSlot.id()).create(surrogateSlot.parameters()));
        create("neuron", neuron,
                () -> providers.neuronModel(neuron.id()).create(neuron.parameters(), surrogate, DataType.FLOAT));
    }

    /**
     * Builds a model from its section ({@code <name>.model}, or {@code model} for the name {@code model}),
     * with the activation its section selects, if any, from {@code providers}.
     *
     * @throws RunSetupException naming the section when the engine refuses its settings, the
     *     section's activation slot when an activation cannot be created or is unusable, or the
     *     neuron slot when a neuron cannot be created
     * @param neuron the neuron slot of a spiking model; null for a kind without one (an ANN to convert)
     */
    static Model buildModel(String name, ModelConfig config, ImageShape input, int classes, long seed,
                            ComponentSlot neuron, NeuronFactory neurons, ComponentProviders providers)
            throws RunSetupException {
        String key = name.equals("model") ? "model" : name + ".model";
        try {
            return ModelFactory.build(config, input, classes, seed, neurons,
                    checkedActivations(ModelFactory.activations(providers, config)));
        } catch (ActivationFailure e) {
            throw new RunSetupException(key + ".activation: " + config.activation().orElseThrow().describe()
                    + " failed at " + e.layer + " with its parameters " + config.activation().orElseThrow().parameters()
                    .asMap() + ": " + e.getCause(), e.getCause());
        } catch (IllegalArgumentException e) {
            throw new RunSetupException(key + ": " + e.getMessage(), e);
        } catch (RuntimeException | LinkageError e) {
            if (neuron == null) {
                throw new RunSetupException(key + ": the " + name + " could not be built: " + e, e);
            }
            throw new RunSetupException("neuron: " + neuron.describe() + " failed while the " + name + "'s"
                    + " neurons were created: " + e, e);
        }
    }

    /**
     * The activations, each checked as the engine will take it (not null, parameters of the model's
     * data type with unique names), a failure marked as the activation's.
     */
    private static AnnActivationFactory checkedActivations(AnnActivationFactory activations) {
        if (activations == null) {
            return null;
        }
        return (layer, channels, dataType) -> {
            try {
                AnnActivation activation = activations.create(layer, channels, dataType);
                if (activation == null) {
                    throw new IllegalStateException("its provider returned null");
                }
                new PluginActivation(activation, dataType);
                return activation;
            } catch (RuntimeException | LinkageError e) {
                throw new ActivationFailure(layer, e);
            }
        };
    }

    /** A plugin activation that could not be created or is unusable, at a layer. */
    private static final class ActivationFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String layer;

        ActivationFailure(String layer, Throwable cause) {
            super(cause);
            this.layer = layer;
        }
    }

    /** Creates a component from its slot, naming the key and the component when that fails or gives null. */
    static <T> T create(String key, ComponentSlot slot, Supplier<T> create) throws RunSetupException {
        T created;
        try {
            created = create.get();
        } catch (RuntimeException | LinkageError e) {
            throw new RunSetupException(key + ": " + slot.describe() + " cannot be created from its parameters "
                    + slot.parameters().asMap() + ": " + e, e);
        }
        if (created == null) {
            throw new RunSetupException(key + ": " + slot.describe() + " created nothing (its provider returned null)");
        }
        return created;
    }

    /** The loss of two images of which the student and the teacher know nothing (all logits 0). */
    private static void tryLoss(ComponentSlot slot, DistillationLoss loss, int classes) throws RunSetupException {
        INDArray student = Nd4j.zeros(DataType.FLOAT, 2, classes);
        INDArray teacher = Nd4j.zeros(DataType.FLOAT, 2, classes);
        LossValue value;
        try {
            value = loss.compute(student, teacher, new int[] {0, classes - 1});
        } catch (RuntimeException | LinkageError e) {
            throw new RunSetupException("distillation: " + slot.describe() + " failed on a trial batch: " + e, e);
        }
        if (!Double.isFinite(value.value())) {
            throw new RunSetupException("distillation: " + slot.describe() + " gives the loss " + value.value()
                    + " on a trial batch (all logits 0) with the parameters " + slot.parameters().asMap());
        }
        if (!Arrays.equals(value.gradient().shape(), student.shape())) {
            throw new RunSetupException("distillation: " + slot.describe() + " gives a gradient of shape "
                    + Arrays.toString(value.gradient().shape()) + " for logits of shape "
                    + Arrays.toString(student.shape()));
        }
    }

    /** Runs the strategy into a copy of the student's weights, which it must be able to fill from the teacher. */
    private static void tryInitialization(ComponentSlot slot, InitializationStrategy strategy, Model teacher,
                                          Model student) throws RunSetupException {
        Map<String, INDArray> copy = new LinkedHashMap<>();
        student.stateDict().names().forEach(name -> copy.put(name, student.stateDict().get(name).dup()));
        try {
            strategy.initialize(teacher.structure(), teacher.stateDict(), student.structure(), StateDict.of(copy));
        } catch (IllegalArgumentException e) {
            throw new RunSetupException("initialization: " + slot.id() + " cannot map the teacher ("
                    + teacher.architecture() + ") onto the student (" + student.architecture() + "): "
                    + e.getMessage(), e);
        } catch (RuntimeException | LinkageError e) {
            throw new RunSetupException("initialization: " + slot.describe() + " failed on a trial run: " + e, e);
        }
    }
}
