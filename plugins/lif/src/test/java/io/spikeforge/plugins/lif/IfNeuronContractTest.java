package io.spikeforge.plugins.lif;

import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.api.neuron.SurrogateFunction;
import io.spikeforge.testkit.neuron.NeuronModelContract;
import io.spikeforge.testkit.neuron.ScalarNeuronReference;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;

/** The {@code if} neuron passes the neuron contract, with the scalar reference (decay 1). */
class IfNeuronContractTest {
    @Nested
    class Defaults extends NeuronModelContract {
        @Override
        protected NeuronModel createNeuron(SurrogateFunction surrogate) {
            return Neurons.create(new IfNeuronProvider(), Map.of(), surrogate);
        }

        @Override
        protected Optional<ScalarNeuronReference> scalarReference(SurrogateFunction surrogate) {
            return Optional.of(LifReference.withStep(new LifReference.Config(1, false, 1.0, false, 0, true, true, 0),
                    surrogate));
        }
    }

    @Nested
    class HalfThresholdStartHardAttachedReset extends NeuronModelContract {
        @Override
        protected NeuronModel createNeuron(SurrogateFunction surrogate) {
            return Neurons.create(new IfNeuronProvider(), Map.of("initial_membrane", 0.5, "reset", "hard",
                    "detach_reset", false), surrogate);
        }

        @Override
        protected Optional<ScalarNeuronReference> scalarReference(SurrogateFunction surrogate) {
            return Optional.of(LifReference.withStep(new LifReference.Config(1, false, 1.0, true, 0, false, true, 0.5),
                    surrogate));
        }
    }
}
