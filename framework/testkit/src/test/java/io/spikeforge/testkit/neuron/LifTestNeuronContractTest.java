package io.spikeforge.testkit.neuron;

import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.api.neuron.SurrogateFunction;
import java.util.List;
import org.junit.jupiter.api.Nested;

/** The test kit's LIF neuron passes the neuron contract in the settings that tests use. */
class LifTestNeuronContractTest {
    @Nested
    class IdsnnDefaults extends NeuronModelContract {
        @Override
        protected NeuronModel createNeuron(SurrogateFunction surrogate) {
            return LifTestNeuron.builder().optSurrogate(surrogate).build();
        }
    }

    @Nested
    class SpikingJellyLifNode extends NeuronModelContract {
        @Override
        protected NeuronModel createNeuron(SurrogateFunction surrogate) {
            return LifTestNeuron.builder().optTau(2).optDecayInput(true).optThreshold(1).optDetachReset(false)
                    .optFireAtThreshold(true).optSurrogate(surrogate).build();
        }

        @Override
        protected double maxCurrent() {
            return 3;
        }
    }

    @Nested
    class IntegrateAndFireWithSoftReset extends NeuronModelContract {
        @Override
        protected NeuronModel createNeuron(SurrogateFunction surrogate) {
            return LifTestNeuron.builder().optDecay(1).optThreshold(1).optSoftReset().optFireAtThreshold(true)
                    .optInitialPotential(0.5).optDetachReset(false).optSurrogate(surrogate).build();
        }
    }

    @Nested
    class RectangularSurrogateContract extends SurrogateFunctionContract {
        @Override
        protected List<SurrogateFunction> surrogates() {
            return List.of(new RectangularTestSurrogate(), new RectangularTestSurrogate(0.5),
                    new RectangularTestSurrogate(3));
        }

        @Override
        protected boolean symmetric() {
            return true;
        }
    }
}
