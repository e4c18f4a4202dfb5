package io.spikeforge.plugins.lif;

import io.spikeforge.api.neuron.BaseNeuron;
import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.api.neuron.NeuronModelProvider;
import io.spikeforge.api.neuron.SurrogateFunction;
import io.spikeforge.testkit.neuron.NeuronModelContract;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Nested;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * {@code plif}, {@code lif-trainable-threshold} and {@code alif} pass the neuron contract, finite-difference checks
 * of input and parameter gradients through time included, in hard- and soft-reset configurations.
 */
class TrainableNeuronContractTest {
    /** A configuration: the provider and its YAML block. */
    abstract static class Configuration extends NeuronModelContract {
        abstract NeuronModelProvider provider();

        abstract Map<String, ?> yaml();

        @Override
        protected NeuronModel createNeuron(SurrogateFunction surrogate) {
            return Neurons.create(provider(), yaml(), surrogate);
        }

        @Override
        protected NeuronModel createNeuron(SurrogateFunction surrogate, DataType parameterType) {
            return Neurons.create(provider(), yaml(), surrogate, parameterType);
        }

        @Override
        protected Optional<NeuronModel> smoothNeuron(DoubleUnaryOperator spike, SurrogateFunction slope) {
            Map<String, Object> attached = new HashMap<>(yaml());
            attached.put("detach_reset", false);
            BaseNeuron neuron = (BaseNeuron) Neurons.create(provider(), attached, slope, DataType.DOUBLE);
            return Optional.of(neuron.withSmoothSpike(spike));
        }

        @Override
        protected double maxCurrent() {
            return 3.0;
        }
    }

    @Nested
    class PlifDefaults extends Configuration {
        @Override
        NeuronModelProvider provider() {
            return new PlifNeuronProvider();
        }

        @Override
        Map<String, ?> yaml() {
            return Map.of();
        }
    }

    @Nested
    class PlifSoftResetWithoutDecayInput extends Configuration {
        @Override
        NeuronModelProvider provider() {
            return new PlifNeuronProvider();
        }

        @Override
        Map<String, ?> yaml() {
            return Map.of("init_tau", 3.0, "decay_input", false, "reset", "soft", "detach_reset", true);
        }

        @Override
        protected double maxCurrent() {
            return 1.5;
        }
    }

    @Nested
    class PlifHardResetBelowZero extends Configuration {
        @Override
        NeuronModelProvider provider() {
            return new PlifNeuronProvider();
        }

        @Override
        Map<String, ?> yaml() {
            return Map.of("init_tau", 1.5, "v_reset", -0.3, "threshold", 0.8, "fire_at_threshold", false);
        }
    }

    @Nested
    class TrainableThresholdDefaults extends Configuration {
        @Override
        NeuronModelProvider provider() {
            return new ThresholdLifNeuronProvider();
        }

        @Override
        Map<String, ?> yaml() {
            return Map.of();
        }
    }

    @Nested
    class TrainableThresholdSoftReset extends Configuration {
        @Override
        NeuronModelProvider provider() {
            return new ThresholdLifNeuronProvider();
        }

        @Override
        Map<String, ?> yaml() {
            return Map.of("tau", 4.0, "reset", "soft", "threshold", 0.6, "detach_reset", true);
        }

        @Override
        protected double maxCurrent() {
            return 1.5;
        }
    }

    @Nested
    class AdaptiveDefaults extends Configuration {
        @Override
        NeuronModelProvider provider() {
            return new AdaptiveLifNeuronProvider();
        }

        @Override
        Map<String, ?> yaml() {
            return Map.of();
        }
    }

    @Nested
    class AdaptiveFastSoftReset extends Configuration {
        @Override
        NeuronModelProvider provider() {
            return new AdaptiveLifNeuronProvider();
        }

        @Override
        Map<String, ?> yaml() {
            return Map.of("tau", 3.0, "reset", "soft", "threshold", 0.5, "adaptation", 0.8, "tau_adaptation", 2.0);
        }

        @Override
        protected double maxCurrent() {
            return 1.5;
        }
    }
}
