package io.spikeforge.engine.model;

import io.spikeforge.api.neuron.NeuronModel;
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
    int classes = 10;
    int inputChannels = 3;
    NeuronFactory neuronFactory;
    int timeSteps;
    BatchNormMode batchNormMode;
    OptionalDouble tdbnInitialWeight = OptionalDouble.empty();
    DataType dataType = DataType.FLOAT;
    long seed;

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

    /** Seed of the initial weights; default 0. Equal settings and seeds give equal weights. */
    public B optSeed(long seed) {
        this.seed = seed;
        return self();
    }

    /** Whether {@link #optSpiking} made it a spiking network. */
    boolean spiking() {
        return neuronFactory != null;
    }

    /** T of a spiking network, 1 for an ANN. */
    int timeStepsOrOne() {
        return spiking() ? timeSteps : 1;
    }

    /** The maker of the model's layers: ReLU or the neurons, BN, or tdBN by default in a spiking network. */
    LayerMaker layerMaker() {
        BatchNormMode mode = spiking() ? Objects.requireNonNullElse(batchNormMode, BatchNormMode.TDBN)
                : BatchNormMode.BN;
        return new LayerMaker(dataType, neuronFactory, timeStepsOrOne(), mode, tdbnInitialWeight);
    }

    /**
     * Checks what every family requires: positive classes and input channels, FLOAT or DOUBLE, and
     * at least one time step in a spiking network. A family checks its own settings besides, and
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
    }
}
