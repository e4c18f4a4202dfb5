package io.spikeforge.plugins.lif;

import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.api.neuron.SurrogateFunction;
import io.spikeforge.testkit.neuron.NeuronModelContract;
import io.spikeforge.testkit.neuron.ScalarNeuronReference;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;

/** The {@code lif} neuron passes the neuron contract, with the scalar reference, in four configurations. */
class LifNeuronContractTest {
    /** A configuration: its YAML block and the matching reference settings. */
    abstract static class Configuration extends NeuronModelContract {
        abstract Map<String, ?> yaml();

        abstract LifReference.Config reference();

        @Override
        protected NeuronModel createNeuron(SurrogateFunction surrogate) {
            return Neurons.create(new LifNeuronProvider(), yaml(), surrogate);
        }

        @Override
        protected Optional<ScalarNeuronReference> scalarReference(SurrogateFunction surrogate) {
            return Optional.of(LifReference.withStep(reference(), surrogate));
        }
    }

    @Nested
    class IdsnnDefaults extends Configuration {
        @Override
        Map<String, ?> yaml() {
            return Map.of();
        }

        @Override
        LifReference.Config reference() {
            return new LifReference.Config(0.25, false, 0.5, true, 0, true, false, 0);
        }
    }

    @Nested
    class SpikingJellyDefaults extends Configuration {
        @Override
        Map<String, ?> yaml() {
            return Map.of("tau", 2.0, "decay_input", true, "threshold", 1.0, "detach_reset", false,
                    "fire_at_threshold", true);
        }

        @Override
        LifReference.Config reference() {
            return new LifReference.Config(0.5, true, 1.0, true, 0, false, true, 0);
        }

        @Override
        protected double maxCurrent() {
            return 3.0;
        }
    }

    @Nested
    class SoftResetAttached extends Configuration {
        @Override
        Map<String, ?> yaml() {
            return Map.of("reset", "soft", "detach_reset", false, "decay", 0.5);
        }

        @Override
        LifReference.Config reference() {
            return new LifReference.Config(0.5, false, 0.5, false, 0, false, false, 0);
        }
    }

    @Nested
    class HardResetBelowZeroWithDecayInput extends Configuration {
        @Override
        Map<String, ?> yaml() {
            return Map.of("decay", 0.8, "decay_input", true, "threshold", 0.4, "v_reset", -0.2,
                    "detach_reset", false);
        }

        @Override
        LifReference.Config reference() {
            return new LifReference.Config(0.8, true, 0.4, true, -0.2, false, false, -0.2);
        }

        @Override
        protected double minCurrent() {
            return -1.0;
        }

        @Override
        protected double maxCurrent() {
            return 3.0;
        }
    }
}
