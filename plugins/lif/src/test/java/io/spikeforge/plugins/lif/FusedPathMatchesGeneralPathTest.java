package io.spikeforge.plugins.lif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.model.Parameter;
import io.spikeforge.api.neuron.AlphaSurrogateProvider;
import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.api.neuron.NeuronModelProvider;
import io.spikeforge.api.neuron.SurrogateFunction;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code plif}, {@code lif-trainable-threshold} and {@code alif} on FLOAT currents run in the API's
 * fused kernel; on DOUBLE currents, in BaseNeuron's general double path, the reference that the
 * neuron contract checks by finite differences. Both compute the same spikes, and the same input
 * and parameter gradients within float rounding, over several chunks of neurons and time-steps.
 */
class FusedPathMatchesGeneralPathTest {
    private static final int STEPS = 6;
    /** B, C, H, W: 1568 neurons per step, a full chunk and a partial one. */
    private static final long[] SAMPLE = {8, 4, 7, 7};

    /** {@code alpha sigmoid(alpha u) (1 - sigmoid(alpha u))}: smooth, so float and double slopes differ by rounding only. */
    private static final SurrogateFunction SIGMOID = new AlphaSurrogateProvider("sigmoid", "test", 4.0, "sharpness") {
        @Override
        protected double derivative(double u, double alpha) {
            double s = 1 / (1 + Math.exp(-alpha * u));
            return alpha * s * (1 - s);
        }
    }.create(4.0);

    static Stream<Arguments> neurons() {
        return Stream.of(
                Arguments.of("plif defaults", new PlifNeuronProvider(), Map.of()),
                Arguments.of("plif hard reset below zero", new PlifNeuronProvider(),
                        Map.of("init_tau", 1.5, "v_reset", -0.3, "threshold", 0.8, "fire_at_threshold", false)),
                Arguments.of("plif soft, detached, no decay_input", new PlifNeuronProvider(),
                        Map.of("init_tau", 3.0, "decay_input", false, "reset", "soft", "detach_reset", true)),
                Arguments.of("lif-trainable-threshold defaults", new ThresholdLifNeuronProvider(), Map.of()),
                Arguments.of("lif-trainable-threshold soft", new ThresholdLifNeuronProvider(),
                        Map.of("tau", 4.0, "reset", "soft", "threshold", 0.6)),
                Arguments.of("alif defaults", new AdaptiveLifNeuronProvider(), Map.of()),
                Arguments.of("alif soft, fast adaptation", new AdaptiveLifNeuronProvider(),
                        Map.of("tau", 3.0, "reset", "soft", "threshold", 0.5, "adaptation", 0.8, "tau_adaptation", 2.0)),
                Arguments.of("alif hard, detached", new AdaptiveLifNeuronProvider(),
                        Map.of("v_reset", -0.2, "detach_reset", true, "adaptation", 0.5)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("neurons")
    void fusedFloatMatchesTheDoublePath(String name, NeuronModelProvider provider, Map<String, ?> yaml) {
        NeuronModel fused = Neurons.create(provider, yaml, SIGMOID, DataType.FLOAT);
        NeuronModel reference = Neurons.create(provider, yaml, SIGMOID, DataType.DOUBLE);
        long[] shape = SAMPLE.clone();
        shape[0] *= STEPS;
        Nd4j.getRandom().setSeed(42);
        INDArray current = Nd4j.randn(DataType.FLOAT, shape).muli(1.2).addi(0.6);
        INDArray gradSpikes = Nd4j.rand(DataType.FLOAT, shape).muli(2).subi(1);
        assertEquals(Float.BYTES * (provider instanceof PlifNeuronProvider ? 2 : 1),
                fused.trainingBytesPerElement(DataType.FLOAT), "FLOAT takes the fused kernel");

        float[] fusedSpikes = fused.forward(current, STEPS, true).dup().data().asFloat();
        double[] referenceSpikes = reference.forward(current.castTo(DataType.DOUBLE), STEPS, true).dup().data()
                .asDouble();
        double fired = 0;
        for (int i = 0; i < fusedSpikes.length; i++) {
            assertEquals(referenceSpikes[i], fusedSpikes[i], 0.0, "spike " + i);
            fired += referenceSpikes[i];
        }
        assertTrue(fired > 0.1 * fusedSpikes.length && fired < 0.9 * fusedSpikes.length, "fires sometimes: " + fired);

        float[] fusedGrad = fused.backward(gradSpikes).dup().data().asFloat();
        double[] referenceGrad = reference.backward(gradSpikes.castTo(DataType.DOUBLE)).dup().data().asDouble();
        double largest = 0;
        for (int i = 0; i < fusedGrad.length; i++) {
            double expected = referenceGrad[i];
            largest = Math.max(largest, Math.abs(expected));
            assertEquals(expected, fusedGrad[i], 1e-5 + 1e-4 * Math.abs(expected), "dL/dcurrent " + i);
        }
        assertTrue(largest > 0.1, "gradients worth comparing: " + largest);

        List<Parameter> fusedParameters = fused.parameters();
        List<Parameter> referenceParameters = reference.parameters();
        assertEquals(referenceParameters.size(), fusedParameters.size());
        for (int p = 0; p < fusedParameters.size(); p++) {
            double expected = referenceParameters.get(p).gradient().getDouble(0);
            double actual = fusedParameters.get(p).gradient().getDouble(0);
            assertEquals(referenceParameters.get(p).name(), fusedParameters.get(p).name());
            assertTrue(Math.abs(expected) > 1, fusedParameters.get(p).name() + ": a gradient worth comparing, "
                    + expected);
            assertEquals(expected, actual, 1e-4 * Math.abs(expected), "dL/d" + fusedParameters.get(p).name());
        }
    }
}
