package io.spikeforge.runner.pipeline;

import io.spikeforge.api.activation.AnnActivationProvider;
import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.api.kernel.KernelPath;
import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.api.neuron.NeuronModelProvider;
import io.spikeforge.api.neuron.SurrogateFunctionProvider;
import io.spikeforge.engine.data.ImageShape;
import io.spikeforge.engine.model.AnnActivationFactory;
import io.spikeforge.engine.model.Model;
import io.spikeforge.engine.model.ModelBuilder;
import io.spikeforge.engine.model.ModelSettings;
import io.spikeforge.engine.model.NeuronFactory;
import io.spikeforge.engine.model.Pooling2d;
import io.spikeforge.engine.model.ResNet;
import io.spikeforge.engine.model.Vgg;
import io.spikeforge.engine.train.DivergenceRule;
import io.spikeforge.engine.train.LearningRateSchedule;
import io.spikeforge.engine.train.Sgd;
import io.spikeforge.runner.config.ComponentSlot;
import io.spikeforge.runner.config.DivergenceConfig;
import io.spikeforge.runner.config.ModelConfig;
import io.spikeforge.runner.config.ScheduleConfig;
import io.spikeforge.runner.config.SpikingOptions;
import io.spikeforge.runner.config.TrainingConfig;
import io.spikeforge.runner.plugin.ComponentProviders;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;

/** Engine objects from configuration records: models, optimizers, schedules, divergence rules. */
final class ModelFactory {
    private ModelFactory() {
    }

    /**
     * The model the model section describes, for images of the data set's shape (its channels are
     * the model's input channels); a spiking one gets a neuron per spiking layer from {@code neurons}
     * ({@link #neurons}), an ANN whose section selects an activation gets one per activation site
     * from {@code activations} ({@link #activations}).
     */
    static Model build(ModelConfig model, ImageShape input, int classes, long seed, NeuronFactory neurons,
                       AnnActivationFactory activations) {
        ModelSettings<?> settings = settings(model, input, classes, seed, neurons);
        if (model.activation().isPresent()) {
            settings.optActivation(activations);
        }
        return settings.build();
    }

    /**
     * For a builder that is only asked for its memory estimate: estimates create no neuron, so no
     * plugin code runs before the models are built. The neurons are unknown then, so they are
     * counted as {@code lif}: what they keep for backward is one element per element of their
     * current, and they take BN's channel affine map where {@code lif} does, on the host float path.
     */
    static final NeuronFactory NO_NEURONS = new NeuronFactory() {
        @Override
        public NeuronModel create(String layer, DataType dataType) {
            throw new IllegalStateException("a memory estimate creates no neuron (" + layer + ")");
        }

        @Override
        public double trainingBytesPerElement(DataType dataType) {
            return dataType.width();
        }

        @Override
        public boolean acceptsChannelAffine(DataType dataType) {
            return KernelPath.select(dataType) == KernelPath.HOST_FLOAT;
        }
    };

    /**
     * The settings {@link #build} makes a model from, for estimates before anything is allocated.
     * No plugin code runs until the model is built: the neurons and their surrogate are created then.
     * A plugin's activation leaves the estimate unchanged (its buffers count as ReLU's), so the
     * builder has none.
     */
    static ModelBuilder builder(ModelConfig model, ImageShape input, int classes, long seed, NeuronFactory neurons) {
        return settings(model, input, classes, seed, neurons);
    }

    private static ModelSettings<?> settings(ModelConfig model, ImageShape input, int classes, long seed,
                                             NeuronFactory neurons) {
        if (!model.architecture().resnet()) {
            Vgg.Builder vgg = Vgg.builder().optDepth(model.depth()).optClasses(classes).optSeed(seed)
                    .optInputChannels(input.channels()).optPooling(model.pooling().orElse(Pooling2d.Mode.MAX));
            model.spiking().ifPresent(spiking -> vgg.optSpiking(neurons, spiking.timesteps())
                    .optBatchNorm(spiking.batchNorm()));
            return vgg;
        }
        ResNet.Builder builder = ResNet.builder().optDepth(model.depth()).optWidths(ints(model.widths()))
                .optBlocksPerStage(ints(model.blocksPerStage())).optInputChannels(input.channels())
                .optClasses(classes).optSeed(seed);
        if (model.spiking().isPresent()) {
            SpikingOptions spiking = model.spiking().get();
            builder.optSpiking(neurons, spiking.timesteps())
                    .optBlockType(model.block().orElseThrow())
                    .optBatchNorm(spiking.batchNorm());
        }
        return builder;
    }

    /**
     * The neurons of a spiking model of any family: one per layer from the neuron slot's component,
     * each with the surrogate of the surrogate slot's, both as the injector hands them out.
     */
    static NeuronFactory neurons(ComponentProviders components, ComponentSlot neuron, ComponentSlot surrogate) {
        NeuronModelProvider neurons = components.neuronModel(neuron.id());
        ResolvedParameters neuronParameters = neuron.parameters();
        SurrogateFunctionProvider surrogates = components.surrogateFunction(surrogate.id());
        // a surrogate function is immutable: one per layer is the same as one for all
        return (layer, dataType) -> neurons.create(neuronParameters, surrogates.create(surrogate.parameters()), dataType);
    }

    /**
     * The activations of an ANN whose model section selects one: each site gets a new instance
     * from the slot's component, made for the model's data type; {@code null} when the section
     * selects none (ReLU).
     */
    static AnnActivationFactory activations(ComponentProviders components, ModelConfig model) {
        if (model.activation().isEmpty()) {
            return null;
        }
        ComponentSlot slot = model.activation().get();
        AnnActivationProvider provider = components.annActivation(slot.id());
        ResolvedParameters parameters = slot.parameters();
        return (layer, channels, dataType) -> provider.create(parameters, channels, dataType);
    }

    /**
     * What a training section trains with: a new optimizer (SGD is the only one), the learning rate
     * of each epoch and the divergence rule. Made before anything trains, so that a setting the
     * engine refuses stops the run at once.
     *
     * @param key the section's key, {@code training} or {@code teacher.training}, for the message
     * @throws RunSetupException naming the section when the engine refuses its settings
     */
    static Training training(String key, TrainingConfig training) throws RunSetupException {
        try {
            return new Training(training, new Sgd(training.optimizer().momentum(), training.optimizer().weightDecay(),
                    training.optimizer().nesterov()), schedule(training), divergence(training.divergence()));
        } catch (IllegalArgumentException e) {
            throw new RunSetupException(key + ": " + e.getMessage(), e);
        }
    }

    /**
     * A training section's engine objects.
     *
     * @param settings the section they are made from
     * @param optimizer the optimizer, whose momentum buffers are the model's training state
     * @param schedule the learning rate of each epoch
     * @param divergence when a finite loss counts as diverging
     */
    record Training(TrainingConfig settings, Sgd optimizer, LearningRateSchedule schedule, DivergenceRule divergence) {
    }

    private static DivergenceRule divergence(DivergenceConfig divergence) {
        return divergence.enabled() ? new DivergenceRule(divergence.lossFactor(), divergence.steps())
                : DivergenceRule.OFF;
    }

    private static LearningRateSchedule schedule(TrainingConfig training) {
        double lr = training.optimizer().lr();
        ScheduleConfig schedule = training.schedule();
        if (schedule instanceof ScheduleConfig.MultiStep multiStep) {
            return LearningRateSchedule.multiStep(lr, ints(multiStep.milestones()), multiStep.gamma());
        } else if (schedule instanceof ScheduleConfig.Step step) {
            return LearningRateSchedule.step(lr, step.every(), step.gamma());
        } else if (schedule instanceof ScheduleConfig.Cosine cosine) {
            return LearningRateSchedule.cosine(lr, cosine.minLr(), training.epochs());
        }
        return LearningRateSchedule.constant(lr);
    }

    private static int[] ints(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }
}
