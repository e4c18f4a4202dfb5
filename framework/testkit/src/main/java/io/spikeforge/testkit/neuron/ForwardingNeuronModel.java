package io.spikeforge.testkit.neuron;

import io.spikeforge.api.model.Parameter;
import io.spikeforge.api.neuron.ChannelAffine;
import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.api.neuron.NeuronSteps;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A neuron that hands every call to another one. Tests override the one method they want to
 * change, for example to check that a contract catches a defect, or that a caller copes with a
 * neuron lacking an optional feature.
 */
public class ForwardingNeuronModel implements NeuronModel {
    private final NeuronModel inner;

    /** @param inner the neuron that answers every call not overridden */
    public ForwardingNeuronModel(NeuronModel inner) {
        this.inner = Objects.requireNonNull(inner, "inner");
    }

    /** The neuron this one forwards to. */
    protected NeuronModel inner() {
        return inner;
    }

    @Override
    public INDArray forward(INDArray current, int timeSteps, boolean training) {
        return inner.forward(current, timeSteps, training);
    }

    @Override
    public boolean acceptsChannelAffine(DataType type) {
        return inner.acceptsChannelAffine(type);
    }

    @Override
    public INDArray forward(INDArray current, ChannelAffine affine, int timeSteps, boolean training) {
        return inner.forward(current, affine, timeSteps, training);
    }

    @Override
    public INDArray backward(INDArray gradSpikes) {
        return inner.backward(gradSpikes);
    }

    @Override
    public List<Parameter> parameters() {
        return inner.parameters();
    }

    @Override
    public double trainingBytesPerElement(DataType type) {
        return inner.trainingBytesPerElement(type);
    }

    @Override
    public Optional<NeuronSteps> startSteps() {
        return inner.startSteps();
    }

    @Override
    public void clear() {
        inner.clear();
    }

    @Override
    public OptionalDouble threshold() {
        return inner.threshold();
    }
}
