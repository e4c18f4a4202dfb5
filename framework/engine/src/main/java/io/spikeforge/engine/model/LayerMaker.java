package io.spikeforge.engine.model;

import io.spikeforge.api.model.LayerInfo;
import io.spikeforge.api.model.LayerKind;
import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.engine.layer.BatchNorm2d;
import io.spikeforge.engine.layer.Conv2d;
import io.spikeforge.engine.layer.Layer;
import io.spikeforge.engine.layer.ReLU;
import io.spikeforge.engine.layer.SpikingActivation;
import io.spikeforge.engine.tensor.BufferCache;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Makes the layers of one {@link ResNet} with its settings (data type, ANN or spiking, batch
 * normalization mode) and records, in the order they are made, the layers that hold tensors and the
 * spiking layers, by full name.
 */
final class LayerMaker {
    private final DataType dataType;
    private final NeuronFactory neuronFactory;
    private final int timeSteps;
    private final BatchNormMode batchNormMode;
    /** The BN weight of {@link BatchNormMode#TDBN} when given; else each layer takes its neurons' threshold. */
    private final OptionalDouble tdbnInitialWeight;
    private final Map<String, Layer> layersWithTensors = new LinkedHashMap<>();
    private final Map<String, SpikingActivation> spikingLayers = new LinkedHashMap<>();
    /**
     * Gradient buffers shared by the model's convolutions and BN layers (see {@link ResidualBlock}
     * for the roles); up to four stages, each with a full and a smaller last training batch.
     */
    private final BufferCache gradientPool = new BufferCache(16);

    /**
     * @param dataType every layer's data type
     * @param neuronFactory the neurons of spiking layers; null for an ANN (ReLU)
     * @param timeSteps T, 1 for an ANN
     * @param batchNormMode how BN layers are made
     * @param tdbnInitialWeight the BN weight of {@link BatchNormMode#TDBN}; empty for the threshold of
     *     the neurons after each BN layer
     */
    LayerMaker(DataType dataType, NeuronFactory neuronFactory, int timeSteps, BatchNormMode batchNormMode,
            OptionalDouble tdbnInitialWeight) {
        this.dataType = dataType;
        this.neuronFactory = neuronFactory;
        this.timeSteps = timeSteps;
        this.batchNormMode = batchNormMode;
        this.tdbnInitialWeight = tdbnInitialWeight;
    }

    boolean spiking() {
        return neuronFactory != null;
    }

    DataType dataType() {
        return dataType;
    }

    /** A square convolution without bias; padding {@code kernelSize / 2} keeps the size at stride 1. */
    Conv2d convolution(String name, int in, int out, int kernelSize, int stride) {
        Conv2d convolution = new Conv2d(in, out, kernelSize, stride, kernelSize / 2, false, dataType);
        layersWithTensors.put(name, convolution);
        return convolution;
    }

    /** {@link #convolution} whose output is repeated over the time-steps (spiking stems). */
    DirectEncodingStem directEncodingStem(String name, int in, int out, int kernelSize) {
        DirectEncodingStem stem = new DirectEncodingStem(
                new Conv2d(in, out, kernelSize, 1, kernelSize / 2, false, dataType), timeSteps, dataType);
        layersWithTensors.put(name, stem);
        return stem;
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
                ? BatchNorm2d.timeMajor(channels, timeSteps, tdbnWeight(name, next), dataType)
                : BatchNorm2d.standard(channels, dataType);
        layersWithTensors.put(name, batchNorm);
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

    /** ReLU in an ANN; in a spiking network, neurons made by the factory for the named layer. */
    Layer activation(String name) {
        if (!spiking()) {
            return new ReLU(dataType);
        }
        NeuronModel neuron = Objects.requireNonNull(neuronFactory.create(name),
                () -> "the neuron factory returned null for " + name);
        SpikingActivation activation = new SpikingActivation(neuron, timeSteps);
        spikingLayers.put(name, activation);
        return activation;
    }

    /** The model's shared gradient buffers; see {@link Conv2d#useGradientPool}. */
    BufferCache gradientPool() {
        return gradientPool;
    }

    /** Registers a layer with tensors that this class does not make (the classifier). */
    <L extends Layer> L register(String name, L layer) {
        layersWithTensors.put(name, layer);
        return layer;
    }

    /** The structure entry of a layer made here: its kind and the full names of its tensors. */
    LayerInfo info(String name, LayerKind kind) {
        Layer layer = layersWithTensors.get(name);
        return new LayerInfo(name, kind, layer == null ? List.of()
                : layer.stateTensors().keySet().stream().map(tensor -> name + "." + tensor).toList());
    }

    /** Layers with tensors by full name, in the order made (PyTorch's state-dict order). */
    Map<String, Layer> layersWithTensors() {
        return layersWithTensors;
    }

    /** Spiking layers by full name, in forward order. */
    Map<String, SpikingActivation> spikingLayers() {
        return spikingLayers;
    }
}
