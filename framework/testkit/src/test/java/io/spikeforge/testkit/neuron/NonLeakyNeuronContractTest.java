package io.spikeforge.testkit.neuron;

import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.api.neuron.SurrogateFunction;
import java.util.Optional;

/** The neuron contract passes a correct neuron, including the comparison with its scalar reference. */
class NonLeakyNeuronContractTest extends NeuronModelContract {
    @Override
    protected NeuronModel createNeuron(SurrogateFunction surrogate) {
        return new NonLeakyTestNeuron(surrogate, NonLeakyTestNeuron.Defect.NONE);
    }

    @Override
    protected Optional<ScalarNeuronReference> scalarReference(SurrogateFunction surrogate) {
        return Optional.of(new NonLeakyNeuronReference(surrogate));
    }
}
