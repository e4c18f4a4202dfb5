package io.spikeforge.plugins.lif;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.kernel.HostKernels;
import io.spikeforge.api.kernel.KernelPath;
import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.api.neuron.NeuronModelProvider;
import io.spikeforge.api.neuron.SurrogateFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fused float path ({@link FusedMembraneKernel}, taken for dense FLOAT currents) against the
 * op-by-op DOUBLE path, which {@link LifBackwardTest} checks against the scalar reference and the
 * finite-difference tests check against numerical gradients. Inputs are float-representable, so
 * both paths see the same numbers; the spikes must be identical and the gradients equal to float
 * precision. Maps of 3x17x23 make steps of several chunks with a partial last one, split over
 * threads.
 */
class FusedFloatPathTest {
    private static final long[] IMAGE = {3, 17, 23};
    private static final int BATCH = 2;

    static List<Arguments> configurations() {
        List<Arguments> arguments = new ArrayList<>();
        for (Arguments lif : LifBackwardTest.configurations()) {
            Object[] values = lif.get();
            arguments.add(Arguments.of(new LifNeuronProvider(), values[0], values[2]));
        }
        for (String reset : new String[] {"hard", "soft"}) {
            arguments.add(Arguments.of(new LifNeuronProvider(), Map.<String, Object>of("decay", 0.0, "reset", reset),
                    new BoxSurrogate()));
        }
        for (Map<String, Object> yaml : List.of(Map.<String, Object>of(),
                Map.<String, Object>of("initial_membrane", 0.5, "fire_at_threshold", false))) {
            arguments.add(Arguments.of(new IfNeuronProvider(), yaml, new BoxSurrogate()));
        }
        return arguments;
    }

    @ParameterizedTest(name = "{0} {1} with {2}")
    @MethodSource("configurations")
    void fusedFloatEqualsOpByOpDouble(NeuronModelProvider provider, Map<String, Object> yaml,
            SurrogateFunction surrogate) {
        Random random = new Random(11);
        for (int steps : new int[] {1, 4, 6}) {
            long[] shape = {(long) steps * BATCH, IMAGE[0], IMAGE[1], IMAGE[2]};
            INDArray current = randomFloat(random, -0.5, 1.5, shape);
            INDArray gradSpikes = randomFloat(random, -1, 1, shape);
            assertTrue(HostKernels.isDenseFloat(current), "the float current takes the fused path");

            NeuronModel fused = Neurons.create(provider, yaml, surrogate);
            assertEquals(KernelPath.HOST_FLOAT, ((SpikingNeuron) fused).kernelPath(DataType.FLOAT));
            double[] fusedSpikes = Neurons.asVector(fused.forward(current, steps, true));
            double[] fusedGradient = Neurons.asVector(fused.backward(gradSpikes));
            NeuronModel reference = Neurons.create(provider, yaml, surrogate);
            double[] referenceSpikes = Neurons.asVector(reference.forward(current.castTo(DataType.DOUBLE), steps, true));
            double[] referenceGradient = Neurons.asVector(reference.backward(gradSpikes.castTo(DataType.DOUBLE)));

            assertArrayEquals(referenceSpikes, fusedSpikes, "T = " + steps + ": spikes");
            for (int i = 0; i < referenceGradient.length; i++) {
                assertEquals(referenceGradient[i], fusedGradient[i], 2e-6 * Math.max(1, Math.abs(referenceGradient[i])),
                        "T = " + steps + ", element " + i + ": dL/dcurrent");
            }
            NeuronModel inference = Neurons.create(provider, yaml, surrogate);
            assertArrayEquals(fusedSpikes, Neurons.asVector(inference.forward(current, steps, false)),
                    "T = " + steps + ": inference spikes");
        }
    }

    /**
     * A neuron built as on a backend without host memory (CUDA) computes FLOAT on the ops, never on
     * the host kernel, and gets the host kernel's spikes, and its gradients to float rounding.
     */
    @ParameterizedTest(name = "{0} {1} with {2}")
    @MethodSource("configurations")
    void withoutHostMemoryFloatTakesTheOpsWithTheSameResults(NeuronModelProvider provider, Map<String, Object> yaml,
            SurrogateFunction surrogate) {
        Random random = new Random(12);
        for (int steps : new int[] {1, 4}) {
            long[] shape = {(long) steps * BATCH, IMAGE[0], IMAGE[1], IMAGE[2]};
            INDArray current = randomFloat(random, -0.5, 1.5, shape);
            INDArray gradSpikes = randomFloat(random, -1, 1, shape);

            SpikingNeuron host = (SpikingNeuron) Neurons.create(provider, yaml, surrogate);
            SpikingNeuron device = Neurons.createWithoutHostMemory(provider, yaml, surrogate);
            assertEquals(KernelPath.HOST_FLOAT, host.kernelPath(DataType.FLOAT));
            assertEquals(KernelPath.ND4J_OPS, device.kernelPath(DataType.FLOAT));
            assertEquals(KernelPath.ND4J_OPS, device.kernelPath(DataType.DOUBLE));
            double[] hostSpikes = Neurons.asVector(host.forward(current, steps, true));
            double[] hostGradient = Neurons.asVector(host.backward(gradSpikes));
            double[] deviceSpikes = Neurons.asVector(device.forward(current, steps, true));
            double[] deviceGradient = Neurons.asVector(device.backward(gradSpikes));

            assertArrayEquals(hostSpikes, deviceSpikes, "T = " + steps + ": spikes");
            for (int i = 0; i < hostGradient.length; i++) {
                assertEquals(hostGradient[i], deviceGradient[i], 2e-6 * Math.max(1, Math.abs(hostGradient[i])),
                        "T = " + steps + ", element " + i + ": dL/dcurrent");
            }
        }
    }

    /**
     * Which implementation ran shows where the two differ on purpose: a NaN current gives a NaN spike
     * on the host kernel and none on the ops, which a neuron without host memory uses for FLOAT.
     */
    @org.junit.jupiter.api.Test
    void withoutHostMemoryTheHostKernelNeverRuns() {
        INDArray current = Nd4j.createFromArray(new float[] {Float.NaN, 2f}).reshape('c', 1, 2);
        NeuronModel host = Neurons.create(new LifNeuronProvider(), Map.of(), new BoxSurrogate());
        NeuronModel device = Neurons.createWithoutHostMemory(new LifNeuronProvider(), Map.of(), new BoxSurrogate());
        assertTrue(Double.isNaN(Neurons.asVector(host.forward(current, 1, false))[0]), "host kernel");
        assertArrayEquals(new double[] {0, 1}, Neurons.asVector(device.forward(current, 1, false)), "ops");
        assertArrayEquals(new double[] {0, 1}, Neurons.asVector(device.forward(current, 1, true)), "ops, training");
    }

    /**
     * Non-finite currents: +inf fires and -inf does not, as on the op path; a NaN current gives a NaN
     * spike at its own element and step (the op path reports silence), so a diverged layer reaches the
     * loss; a neuron without leak carries nothing over, not even a NaN.
     */
    @org.junit.jupiter.api.Test
    void nonFiniteCurrents() {
        float[] currents = {Float.NaN, 2f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.1f, 0.1f, 0.1f, 0.1f};
        INDArray current = Nd4j.createFromArray(currents).reshape('c', 2, 4);
        NeuronModel leaky = Neurons.create(new LifNeuronProvider(), Map.of(), new BoxSurrogate());
        double[] spikes = Neurons.asVector(leaky.forward(current, 2, true));
        assertTrue(Double.isNaN(spikes[0]), "NaN current, step 0");
        assertEquals(1, spikes[1]);
        assertEquals(1, spikes[2]);
        assertEquals(0, spikes[3]);
        assertTrue(Double.isNaN(spikes[4]), "the NaN potential leaks into step 1 of a leaky neuron");
        NeuronModel memoryless = Neurons.create(new LifNeuronProvider(), Map.of("decay", 0.0), new BoxSurrogate());
        double[] withoutLeak = Neurons.asVector(memoryless.forward(current, 2, true));
        assertTrue(Double.isNaN(withoutLeak[0]));
        assertArrayEquals(new double[] {0, 0, 0, 0}, java.util.Arrays.copyOfRange(withoutLeak, 4, 8),
                "without leak nothing is carried into step 1");
    }

    private static INDArray randomFloat(Random random, double low, double high, long... shape) {
        float[] values = new float[(int) (shape[0] * shape[1] * shape[2] * shape[3])];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (low + (high - low) * random.nextDouble());
        }
        return Nd4j.createFromArray(values).reshape('c', shape);
    }
}
