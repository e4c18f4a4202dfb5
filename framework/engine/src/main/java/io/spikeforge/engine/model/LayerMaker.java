package io.spikeforge.engine.model;

import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.engine.layer.ActivationLayout;
import io.spikeforge.engine.layer.BatchNorm2d;
import io.spikeforge.engine.layer.Conv2d;
import io.spikeforge.engine.layer.GlobalAvgPool2d;
import io.spikeforge.engine.layer.GlobalAvgPool2d;
import io.spikeforge.engine.layer.Layer;
import io.spikeforge.engine.layer.PluginActivation;
import io.spikeforge.engine.layer.ReLU;
import io.spikeforge.engine.layer.SpikingActivation;
import io.spikeforge.engine.tensor.BufferCache;
import java.util.Objects;
import java.util.OptionalDouble;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Makes the layers of one model with its settings (data type, activation layout, ANN or spiking,
 * batch normalization mode), for the family builders; the names it takes are for messages and for the neuron factory.
 */
final class LayerMaker {
    /** Pool role of the BN layers' input gradients. */
    static final String BATCH_NORM_GRADIENT = "batchNorm";
    /** Pool role of the convolutions' input gradients (those of a main path in a residual block). */
    static final String CONVOLUTION_GRADIENT = "convolution";
    /** Pool role of a projection shortcut's convolution's input gradient. */
    static final String SHORTCUT_GRADIENT = "shortcutConvolution";
    /** Pool role of a residual block's input gradient. */
    static final String BLOCK_GRADIENT = "block";

    private final DataType dataType;
    private final ActivationLayout layout;
    private final NeuronFactory neuronFactory;
    private final AnnActivationFactory activationFactory;
    private final int timeSteps;
    private final BatchNormMode batchNormMode;
    /** The BN weight of {@link BatchNormMode#TDBN} when given; else each layer takes its neurons' threshold. */
    private final OptionalDouble tdbnInitialWeight;
    private final boolean fusedBatchNorm;
    /**
     * Gradient buffers shared by the model's convolutions and BN layers (see {@link ResNet} for the
     * roles); each role takes one shape per layer size and batch size (ResNet: up to four stages,
     * VGG: up to eight convolution sizes, each with a full and a smaller last training batch).
     */
    private final BufferCache gradientPool = new BufferCache(32);

    /**
     * @param dataType every layer's data type
     * @param layout the layout of the activations between layers
     * @param neuronFactory the neurons of spiking layers; null for an ANN
     * @param activationFactory an ANN's activations; null for ReLU (and in a spiking network)
     * @param timeSteps T, 1 for an ANN
     * @param batchNormMode how BN layers are made
     * @param tdbnInitialWeight the BN weight of {@link BatchNormMode#TDBN}; empty for the threshold of
     *     the neurons after each BN layer
     * @param fusedBatchNorm whether BN layers may leave their output to the neurons after them
     *     ({@link BatchNorm2d#deferToNeurons})
     */
    LayerMaker(DataType dataType, ActivationLayout layout, NeuronFactory neuronFactory,
            AnnActivationFactory activationFactory, int timeSteps, BatchNormMode batchNormMode,
            OptionalDouble tdbnInitialWeight, boolean fusedBatchNorm) {
        this.fusedBatchNorm = fusedBatchNorm;
        this.dataType = dataType;
        this.layout = layout;
        this.neuronFactory = neuronFactory;
        this.activationFactory = activationFactory;
        this.timeSteps = timeSteps;
        this.batchNormMode = batchNormMode;
        this.tdbnInitialWeight = tdbnInitialWeight;
    }

    boolean spiking() {
        return neuronFactory != null;
    }

    /** Whether the ANN's activations are a plugin's, each at a site of its own name, rather than ReLU. */
    boolean pluginActivations() {
        return !spiking() && activationFactory != null;
    }

    DataType dataType() {
        return dataType;
    }

    /** The layout of the activations between the model's layers. */
    ActivationLayout layout() {
        return layout;
    }

    /** A square convolution; padding {@code kernelSize / 2} keeps the size at stride 1. */
    Conv2d convolution(int in, int out, int kernelSize, int stride, boolean bias) {
        return new Conv2d(in, out, kernelSize, stride, kernelSize / 2, bias, dataType, layout);
    }

    /** {@link #convolution} whose output is repeated over the time-steps (spiking stems). */
    DirectEncodingStem directEncodingStem(int in, int out, int kernelSize, boolean bias) {
        return new DirectEncodingStem(convolution(in, out, kernelSize, 1, bias), timeSteps, dataType);
    }

    /**
     * A BN layer; in {@link BatchNormMode#TDBN} its weight starts at the threshold of the neurons
     * that take its output (directly, or after a residual addition), unless the model was given an
     * initial weight.
     *
     * @param next the activation that takes the output: its neurons' threshold sets a tdBN weight
     * @throws IllegalArgumentException in tdBN mode without an initial weight, when the neurons report
     *     no threshold
     */
    BatchNorm2d batchNorm(String name, int channels, Layer next) {
        BatchNorm2d batchNorm = batchNormMode == BatchNormMode.TDBN
                ? BatchNorm2d.timeMajor(channels, timeSteps, tdbnWeight(name, next), dataType, layout)
                : BatchNorm2d.standard(channels, dataType, layout);
        batchNorm.deferToNeurons(fusedBatchNorm);
        return batchNorm;
    }

    private double tdbnWeight(String name, Layer next) {
        if (tdbnInitialWeight.isPresent()) {
            return tdbnInitialWeight.getAsDouble();
        }
        NeuronModel neuron = ((SpikingActivation) next).neuron();
        OptionalDouble threshold = neuron.threshold();
        if (threshold.isEmpty()) {
            throw new IllegalArgumentException("tdBN starts the weight of " + name + " at the threshold of the neurons"
                    + " after it, but " + neuron.getClass().getName() + " reports none (NeuronModel.threshold());"
                    + " give the initial weight, or use BN");
        }
        return threshold.getAsDouble();
    }

    /**
     * ReLU in an ANN, or the plugin activation the factory makes for the named layer; in a spiking
     * network, neurons made by the factory for the named layer.
     *
     * @param channels the channels of the activation's input
     */
    Layer activation(String name, int channels) {
        if (pluginActivations()) {
            return new PluginActivation(Objects.requireNonNull(activationFactory.create(name, channels, dataType),
                    () -> "the activation factory returned null for " + name), dataType);
        }
        if (!spiking()) {
            return new ReLU(dataType);
        }
        NeuronModel neuron = Objects.requireNonNull(neuronFactory.create(name, dataType),
                () -> "the neuron factory returned null for " + name);
        return new SpikingActivation(neuron, timeSteps, dataType);
    }

    /** Global average pooling of the model's maps. */
    GlobalAvgPool2d globalAveragePooling() {
        return new GlobalAvgPool2d(dataType, layout);
    }

    /** 2x2 pooling of the model's maps. */
    Pooling2d pooling(Pooling2d.Mode mode) {
        return new Pooling2d(mode, dataType, layout);
    }

    /** The model's shared gradient buffers; see {@link Conv2d#useGradientPool}. */
    BufferCache gradientPool() {
        return gradientPool;
    }
}
