package io.spikeforge.plugins.lif;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.api.neuron.SurrogateFunction;
import io.spikeforge.testkit.neuron.SmoothTestSurrogate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The vectorized {@code lif} neuron against the scalar-loop {@link LifReference} in double precision,
 * on {@code [T*B, C, H, W]} currents, for every combination of hard (v_reset 0 and -0.2) and soft
 * reset, detached and attached reset, decay_input on and off, decay given directly or as tau, with
 * IDSNN's box surrogate and a smooth one.
 */
class LifBackwardTest {
    private static final int BATCH = 2;
    private static final long[] IMAGE = {2, 3, 3};

    static List<Arguments> configurations() {
        List<Arguments> arguments = new ArrayList<>();
        for (String reset : new String[] {"hard", "hard-below-zero", "soft"}) {
            for (boolean detach : new boolean[] {true, false}) {
                for (boolean decayInput : new boolean[] {false, true}) {
                    for (boolean viaTau : new boolean[] {false, true}) {
                        for (SurrogateFunction surrogate : List.of(new BoxSurrogate(), new SmoothTestSurrogate())) {
                            Map<String, Object> yaml = new HashMap<>();
                            double resetPotential = reset.equals("hard-below-zero") ? -0.2 : 0;
                            yaml.put("reset", reset.equals("soft") ? "soft" : "hard");
                            yaml.put("v_reset", resetPotential);
                            yaml.put("detach_reset", detach);
                            yaml.put("decay_input", decayInput);
                            if (viaTau) {
                                yaml.put("tau", 2.0);
                            }
                            double decay = viaTau ? 0.5 : LifNeuronProvider.IDSNN_DECAY;
                            LifReference.Config config = new LifReference.Config(decay, decayInput, 0.5,
                                    !reset.equals("soft"), resetPotential, detach, false, resetPotential);
                            arguments.add(Arguments.of(yaml, config, surrogate));
                        }
                    }
                }
            }
        }
        return arguments;
    }

    @ParameterizedTest(name = "{0} with {2}")
    @MethodSource("configurations")
    void matchesScalarReference(Map<String, Object> yaml, LifReference.Config config, SurrogateFunction surrogate) {
        NeuronModel neuron = Neurons.create(new LifNeuronProvider(), yaml, surrogate);
        LifReference reference = LifReference.withStep(config, surrogate);
        Random random = new Random(3);
        for (int steps : new int[] {1, 4, 6}) {
            long[] shape = {(long) steps * BATCH, IMAGE[0], IMAGE[1], IMAGE[2]};
            INDArray current = random(random, -0.5, 1.5, shape);
            INDArray gradSpikes = random(random, -1, 1, shape);
            double[] spikes = Neurons.asVector(neuron.forward(current, steps, true));
            double[] gradient = Neurons.asVector(neuron.backward(gradSpikes));
            double[] x = Neurons.asVector(current);
            double[] g = Neurons.asVector(gradSpikes);
            int perStep = x.length / steps;
            for (int element = 0; element < perStep; element++) {
                double[] xs = new double[steps];
                double[] gs = new double[steps];
                double[] actualSpikes = new double[steps];
                double[] actualGradient = new double[steps];
                for (int t = 0; t < steps; t++) {
                    xs[t] = x[t * perStep + element];
                    gs[t] = g[t * perStep + element];
                    actualSpikes[t] = spikes[t * perStep + element];
                    actualGradient[t] = gradient[t * perStep + element];
                }
                String where = "T = " + steps + ", element " + element;
                assertArrayEquals(reference.spikes(xs), actualSpikes, where + ": spikes");
                double[] expectedGradient = reference.gradient(xs, gs);
                for (int t = 0; t < steps; t++) {
                    assertEquals(expectedGradient[t], actualGradient[t], 1e-12 * Math.max(1, Math.abs(expectedGradient[t])),
                            where + ", step " + t + ": dL/dcurrent");
                }
            }
        }
    }

    /** Backward takes the spikes of the training forward, whatever inference forward came between. */
    @ParameterizedTest(name = "{0} with {2}")
    @MethodSource("configurations")
    void anInferenceForwardBeforeTheBackwardLeavesTheGradientUnchanged(Map<String, Object> yaml,
            LifReference.Config config, SurrogateFunction surrogate) {
        Random random = new Random(5);
        int steps = 4;
        long[] shape = {(long) steps * BATCH, IMAGE[0], IMAGE[1], IMAGE[2]};
        INDArray current = random(random, -0.5, 1.5, shape);
        INDArray gradSpikes = random(random, -1, 1, shape);
        NeuronModel direct = Neurons.create(new LifNeuronProvider(), yaml, surrogate);
        direct.forward(current, steps, true);
        double[] expected = Neurons.asVector(direct.backward(gradSpikes));
        for (long batch : new long[] {BATCH, BATCH + 1}) {
            NeuronModel interrupted = Neurons.create(new LifNeuronProvider(), yaml, surrogate);
            interrupted.forward(current, steps, true);
            interrupted.forward(random(random, -0.5, 1.5, steps * batch, IMAGE[0], IMAGE[1], IMAGE[2]), steps, false);
            assertArrayEquals(expected, Neurons.asVector(interrupted.backward(gradSpikes)), 0,
                    "inference batch " + batch);
        }
    }

    private static INDArray random(Random random, double low, double high, long... shape) {
        double[] values = new double[(int) (shape[0] * shape[1] * shape[2] * shape[3])];
        for (int i = 0; i < values.length; i++) {
            values[i] = low + (high - low) * random.nextDouble();
        }
        return Nd4j.createFromArray(values).reshape('c', shape);
    }
}
