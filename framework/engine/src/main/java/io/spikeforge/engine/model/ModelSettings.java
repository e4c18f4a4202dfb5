package io.spikeforge.engine.model;

import io.spikeforge.api.kernel.KernelPath;
import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.engine.layer.ActivationLayout;
import java.util.Objects;
import java.util.OptionalDouble;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The settings every model family's builder has, set the same way: classes, input channels, the
 * neurons and time steps of a spiking network, its BN, the data type and the seed. A family's
 * builder ({@link ResNet.Builder}, {@link Vgg.Builder}) extends it with its own {@code opt*}
 * settings (depth, widths, ...) and builds the model.
 *
 * @param <B> the family's builder, which each setter returns
 */
public abstract class ModelSettings<B extends ModelSettings<B>> implements ModelBuilder {
    /** The system property that turns {@link #optFusedBatchNorm}'s default off. */
    public static final String FUSED_BATCH_NORM_PROPERTY = "spikeforge.fusedBatchNorm";

    int classes = 10;
    int inputChannels = 3;
    NeuronFactory neuronFactory;
    AnnActivationFactory activationFactory;
    int timeSteps;
    BatchNormMode batchNormMode;
    OptionalDouble tdbnInitialWeight = OptionalDouble.empty();
    DataType dataType = DataType.FLOAT;
    /** The layout asked for; null for {@link #activationLayout()}'s default. */
    ActivationLayout layout;
    long seed;
    /** {@link #optFusedBatchNorm}; null for the default. */
    Boolean fusedBatchNorm;

    /** Only the families of this package extend it. */
    ModelSettings() {
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** Outputs of the classifier; default 10. */
    public B optClasses(int classes) {
        this.classes = classes;
        return self();
    }

    /** Channels of the images; default 3. */
    public B optInputChannels(int inputChannels) {
        this.inputChannels = inputChannels;
        return self();
    }

    /**
     * Makes a spiking network over T time-steps instead of an ANN.
     *
     * @param neuronFactory called once per spiking layer with the layer's name
     * @param timeSteps T, at least 1
     */
    public B optSpiking(NeuronFactory neuronFactory, int timeSteps) {
        this.neuronFactory = Objects.requireNonNull(neuronFactory, "neuronFactory");
        this.timeSteps = timeSteps;
        return self();
    }

    /**
     * Makes an ANN with a plugin's activation in place of ReLU at every activation site. Each site
     * gets its own instance, named {@code act1} (stem) and {@code layer<s>.<b>.act1}/{@code act2} in
     * a {@link ResNet} (whose ReLU sites share the name {@code relu}, as in torchvision), and
     * {@code features.<i>} in a {@link Vgg}; the activation's trainable tensors join the model's
     * parameters and state dict under that name ({@code layer1.0.act1.threshold}). Without it an
     * ANN uses the built-in ReLU. Memory estimates count the activation's buffers as ReLU's and
     * leave out its parameters (a few numbers per layer).
     *
     * @param activationFactory called once per activation layer with its name and channels
     */
    public B optActivation(AnnActivationFactory activationFactory) {
        this.activationFactory = Objects.requireNonNull(activationFactory, "activationFactory");
        return self();
    }

    /** BN of a spiking network; default {@link BatchNormMode#TDBN}. An ANN always uses BN. */
    public B optBatchNorm(BatchNormMode batchNormMode) {
        this.batchNormMode = Objects.requireNonNull(batchNormMode, "batchNormMode");
        return self();
    }

    /**
     * The initial BN weight in {@link BatchNormMode#TDBN}, for every BN layer. By default each
     * starts at the threshold of the neurons that take its output ({@link NeuronModel#threshold()};
     * 0.5 for IDSNN's LIF, 1 for {@code if}).
     */
    public B optTdbnInitialWeight(double weight) {
        this.tdbnInitialWeight = OptionalDouble.of(weight);
        return self();
    }

    /** FLOAT for training (default), DOUBLE for gradient checks. */
    public B optDataType(DataType dataType) {
        this.dataType = Objects.requireNonNull(dataType, "dataType");
        return self();
    }

    /**
     * The layout of the activations between layers ({@link ActivationLayout}); the images and the
     * model's input gradient are NCHW either way, and so are the weights. Default: NHWC for FLOAT
     * (oneDNN's convolution computes in it, so it skips three copies of each convolution's input
     * and output per forward call), NCHW for DOUBLE (the gradient checks' path) and for an ANN with
     * a plugin's activation, whose contract gives it the channels in dimension 1. Both layouts give
     * the same results.
     */
    public B optLayout(ActivationLayout layout) {
        this.layout = Objects.requireNonNull(layout, "layout");
        return self();
    }

    /**
     * Whether a BN layer followed directly by spiking neurons that can apply its per-channel affine
     * map ({@link NeuronModel#acceptsChannelAffine}) leaves its output to them, so that the output
     * is never stored ({@link io.spikeforge.engine.layer.BatchNorm2d#forwardDeferred}): one pass
     * over the layer's maps and one buffer of their size fewer, the same numbers bit for bit. It
     * applies to FLOAT NHWC models on the host float path. Default: on, unless the system property
     * {@value #FUSED_BATCH_NORM_PROPERTY} is {@code false} (for A/B measurements).
     */
    public B optFusedBatchNorm(boolean fused) {
        this.fusedBatchNorm = fused;
        return self();
    }

    /** {@link #optFusedBatchNorm}, or its default. */
    boolean fusedBatchNorm() {
        return fusedBatchNorm != null ? fusedBatchNorm
                : Boolean.parseBoolean(System.getProperty(FUSED_BATCH_NORM_PROPERTY, "true"));
    }

    /**
     * Whether the BN layers before spiking neurons will leave their output to them: fusion on, a
     * FLOAT NHWC network on the host float path, and neurons that accept the map
     * ({@link NeuronFactory#acceptsChannelAffine}). For memory estimates.
     */
    boolean batchNormDefersToNeurons() {
        return spiking() && fusedBatchNorm() && activationLayout() == ActivationLayout.NHWC
                && KernelPath.select(dataType) == KernelPath.HOST_FLOAT && neuronFactory.acceptsChannelAffine(dataType);
    }

    /** Seed of the initial weights; default 0. Equal settings and seeds give equal weights. */
    public B optSeed(long seed) {
        this.seed = seed;
        return self();
    }

    /** The layout given by {@link #optLayout}, or the default for the data type and activations. */
    ActivationLayout activationLayout() {
        if (layout != null) {
            return layout;
        }
        return dataType == DataType.FLOAT && activationFactory == null ? ActivationLayout.NHWC : ActivationLayout.NCHW;
    }

    /** Whether {@link #optSpiking} made it a spiking network. */
    boolean spiking() {
        return neuronFactory != null;
    }

    /**
     * What the neurons keep for backward, in elements of the model's type per element of their
     * current ({@link NeuronFactory#trainingBytesPerElement}); asked only when an estimate needs it.
     */
    double neuronTrainingElements() {
        return neuronFactory.trainingBytesPerElement(dataType) / dataType.width();
    }

    /** T of a spiking network, 1 for an ANN. */
    int timeStepsOrOne() {
        return spiking() ? timeSteps : 1;
    }

    /** The maker of the model's layers: ReLU, a plugin's activation or the neurons, BN, or tdBN by default in a spiking network. */
    LayerMaker layerMaker() {
        BatchNormMode mode = spiking() ? Objects.requireNonNullElse(batchNormMode, BatchNormMode.TDBN)
                : BatchNormMode.BN;
        return new LayerMaker(dataType, activationLayout(), neuronFactory, activationFactory, timeStepsOrOne(), mode,
                tdbnInitialWeight, fusedBatchNorm());
    }

    /**
     * Checks what every family requires: positive classes and input channels, FLOAT or DOUBLE, and
     * at least one time step in a spiking network, and no plugin activation in a spiking network. A family checks its own settings besides, and
     * what an ANN cannot have (tdBN).
     *
     * @throws IllegalArgumentException naming the setting and what is expected
     */
    void requireSharedSettings() {
        if (classes < 1 || inputChannels < 1) {
            throw new IllegalArgumentException("classes and input channels must be positive, got " + classes
                    + " and " + inputChannels);
        }
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            throw new IllegalArgumentException("data type must be FLOAT or DOUBLE, got " + dataType);
        }
        if (spiking() && timeSteps < 1) {
            throw new IllegalArgumentException("time steps must be at least 1, got " + timeSteps);
        }
        if (spiking() && activationFactory != null) {
            throw new IllegalArgumentException("an ANN activation (optActivation) needs an ANN, not a spiking network");
        }
        if (activationFactory != null && layout == ActivationLayout.NHWC) {
            throw new IllegalArgumentException("a plugin's ANN activation (optActivation) takes NCHW activations, its"
                    + " channels in dimension 1; leave the layout NCHW");
        }
    }
}
