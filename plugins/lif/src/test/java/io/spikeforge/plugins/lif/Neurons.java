package io.spikeforge.plugins.lif;

import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.api.neuron.NeuronModelProvider;
import io.spikeforge.api.neuron.SurrogateFunction;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Builds neurons the way the host does, and runs single neurons, for the tests. */
final class Neurons {
    private Neurons() {
    }

    /** Resolves and validates the YAML block, then creates the neuron. */
    static NeuronModel create(NeuronModelProvider provider, Map<String, ?> yaml, SurrogateFunction surrogate) {
        ResolvedParameters parameters = provider.parameters().resolve(yaml);
        provider.validate(parameters);
        return provider.create(parameters, surrogate);
    }

    /** {@link #create} with trainable parameters of {@code parameterType}. */
    static NeuronModel create(NeuronModelProvider provider, Map<String, ?> yaml, SurrogateFunction surrogate,
                              DataType parameterType) {
        ResolvedParameters parameters = provider.parameters().resolve(yaml);
        provider.validate(parameters);
        return provider.create(parameters, surrogate, parameterType);
    }

    /**
     * The neuron {@link #create} makes, but selecting its kernels as on a backend that keeps arrays
     * off the host (CUDA): the rule's backend input is the only difference.
     */
    static SpikingNeuron createWithoutHostMemory(NeuronModelProvider provider, Map<String, ?> yaml,
            SurrogateFunction surrogate) {
        ResolvedParameters parameters = provider.parameters().resolve(yaml);
        provider.validate(parameters);
        MembraneDynamics dynamics = provider instanceof IfNeuronProvider
                ? IfNeuronProvider.dynamics(parameters) : LifNeuronProvider.dynamics(parameters);
        return new SpikingNeuron(dynamics, surrogate, false);
    }

    /** One neuron (batch 1, one feature) driven by {@code currents[t]} at step t, as shape {@code [T, 1]}. */
    static INDArray single(DataType type, double... currents) {
        return Nd4j.createFromArray(currents).reshape(currents.length, 1).castTo(type);
    }

    /** The spikes of a single neuron over the steps. */
    static double[] spikes(NeuronModel neuron, DataType type, double... currents) {
        return asVector(neuron.forward(single(type, currents), currents.length, true));
    }

    /** dL/dcurrent of a single neuron after a training forward on {@code currents}. */
    static double[] gradient(NeuronModel neuron, double[] currents, double[] gradSpikes, DataType type) {
        neuron.forward(single(type, currents), currents.length, true);
        return asVector(neuron.backward(single(type, gradSpikes)));
    }

    static double[] asVector(INDArray array) {
        return array.castTo(DataType.DOUBLE).dup('c').reshape(array.length()).toDoubleVector();
    }
}
