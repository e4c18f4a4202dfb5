package io.spikeforge.plugins.lif;

import static io.spikeforge.plugins.lif.Neurons.gradient;
import static io.spikeforge.plugins.lif.Neurons.spikes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.spikeforge.api.neuron.NeuronModel;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The {@code lif} neuron on sequences worked out by hand from the IDSNN rule
 * {@code mem(t) = 0.25 * mem(t-1) * (1 - spike(t-1)) + x(t)}, spike when {@code mem > 0.5}, and the
 * gradients with IDSNN's box surrogate (1 where {@code 0 < mem < 1}).
 */
class LifHandComputedTest {
    private static final double EXACT = 0;

    private static NeuronModel lif(Map<String, ?> yaml) {
        return Neurons.create(new LifNeuronProvider(), yaml, new BoxSurrogate());
    }

    /*
     * x = [0.3, 0.3, 0.6, 0.1]
     * mem0 = 0.3                          -> 0
     * mem1 = 0.25 * 0.3 + 0.3   = 0.375   -> 0
     * mem2 = 0.25 * 0.375 + 0.6 = 0.69375 -> 1 (reset)
     * mem3 = 0 + 0.1            = 0.1     -> 0
     * Every mem lies in (0, 1): the box surrogate is 1 at every step. With dL/dspike = 1 everywhere
     * and the reset detached (dmem(t+1)/dmem(t) = 0.25 * (1 - spike(t))):
     * g3 = 1; g2 = 1 + 0.25 * 0 * g3 = 1; g1 = 1 + 0.25 * 1 * g2 = 1.25; g0 = 1 + 0.25 * g1 = 1.3125
     */
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void idsnnSequenceFiresOnceAfterCharging(DataType type) {
        double[] x = {0.3, 0.3, 0.6, 0.1};
        assertArrayEquals(new double[] {0, 0, 1, 0}, spikes(lif(Map.of()), type, x), EXACT);
        assertArrayEquals(new double[] {1.3125, 1.25, 1, 1}, gradient(lif(Map.of()), x, new double[] {1, 1, 1, 1}, type),
                EXACT);
    }

    /*
     * The same sequence with detach_reset: false. The reset mem * (1 - spike) then also passes
     * gradient through the spike: dmem(t+1)/dmem(t) = 0.25 * ((1 - spike(t)) - mem(t) * surrogate(t)).
     * g3 = 1
     * g2 = 1 + 0.25 * (0 - 0.69375) * 1   = 0.8265625
     * g1 = 1 + 0.25 * (1 - 0.375) * g2    = 1.129150390625
     * g0 = 1 + 0.25 * (1 - 0.3) * g1      = 1.197601318359375
     */
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void attachedResetAddsTheResetPath(DataType type) {
        double[] x = {0.3, 0.3, 0.6, 0.1};
        double tolerance = type == DataType.FLOAT ? 1e-6 : 1e-12;
        assertArrayEquals(new double[] {1.197601318359375, 1.129150390625, 0.8265625, 1},
                gradient(lif(Map.of("detach_reset", false)), x, new double[] {1, 1, 1, 1}, type), tolerance);
    }

    /*
     * x = [0.75, 0.75, 0.25, 0.5]
     * mem0 = 0.75 -> 1, reset to 0
     * mem1 = 0.75 -> 1, reset to 0 (nothing carried over from step 0)
     * mem2 = 0.25 -> 0
     * mem3 = 0.25 * 0.25 + 0.5 = 0.5625 -> 1
     */
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void spikesResetTheMembraneToZero(DataType type) {
        assertArrayEquals(new double[] {1, 1, 0, 1}, spikes(lif(Map.of()), type, 0.75, 0.75, 0.25, 0.5), EXACT);
    }

    /* x = 0.25 four times: mem = 0.25, 0.3125, 0.328125, 0.33203125 -> the leak keeps it below 0.5. */
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void leakKeepsAWeakInputSilent(DataType type) {
        assertArrayEquals(new double[] {0, 0, 0, 0}, spikes(lif(Map.of()), type, 0.25, 0.25, 0.25, 0.25), EXACT);
    }

    /*
     * x = [0.25, 0.4375]: mem1 = 0.25 * 0.25 + 0.4375 = 0.5 exactly (all dyadic). IDSNN's strict rule
     * does not fire at 0.5; fire_at_threshold (SpikingJelly's heaviside) does. Also mem0 = 0.5.
     */
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void exactlyAtThresholdFiresOnlyWithFireAtThreshold(DataType type) {
        assertArrayEquals(new double[] {0, 0}, spikes(lif(Map.of()), type, 0.25, 0.4375), EXACT);
        assertArrayEquals(new double[] {0, 1}, spikes(lif(Map.of("fire_at_threshold", true)), type, 0.25, 0.4375),
                EXACT);
        assertArrayEquals(new double[] {0}, spikes(lif(Map.of()), type, 0.5), EXACT);
        assertArrayEquals(new double[] {1}, spikes(lif(Map.of("fire_at_threshold", true)), type, 0.5), EXACT);
    }

    /*
     * x = [0.75, 0.46875]
     * soft: mem0 = 0.75 -> 1, V = 0.75 - 0.5 = 0.25; mem1 = 0.25 * 0.25 + 0.46875 = 0.53125 -> 1
     * hard: mem0 = 0.75 -> 1, V = 0;                 mem1 = 0.46875                  -> 0
     */
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void softResetKeepsTheExcessCharge(DataType type) {
        assertArrayEquals(new double[] {1, 1}, spikes(lif(Map.of("reset", "soft")), type, 0.75, 0.46875), EXACT);
        assertArrayEquals(new double[] {1, 0}, spikes(lif(Map.of("reset", "hard")), type, 0.75, 0.46875), EXACT);
    }

    /*
     * decay 0.5, v_reset -0.25: H = 0.5 * V + 0.5 * (-0.25) + X, V(-1) = -0.25.
     * H0 = -0.125 - 0.125 + 0.875 = 0.625 -> 1, V = -0.25
     * H1 = -0.125 - 0.125 + 0.5   = 0.25  -> 0, V = 0.25
     * H2 = 0.125 - 0.125 + 0.625  = 0.625 -> 1
     */
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void leakPullsTowardTheResetPotential(DataType type) {
        assertArrayEquals(new double[] {1, 0, 1},
                spikes(lif(Map.of("decay", 0.5, "v_reset", -0.25)), type, 0.875, 0.5, 0.625), EXACT);
    }

    /*
     * decay_input: true (decay 0.25): H = 0.25 * V + 0.75 * X. x = [0.5, 0.5]:
     * H0 = 0.375 -> 0; H1 = 0.09375 + 0.375 = 0.46875 -> 0. Both in (0, 1), box surrogate 1.
     * dL/dspike = [1, 1]: dL/dH1 = 1, dL/dH0 = 1 + 0.25 * 1 = 1.25; dL/dx = 0.75 * dL/dH = [0.9375, 0.75].
     */
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void decayInputScalesInputAndItsGradient(DataType type) {
        NeuronModel neuron = lif(Map.of("decay_input", true));
        assertArrayEquals(new double[] {0, 0}, spikes(neuron, type, 0.5, 0.5), EXACT);
        assertArrayEquals(new double[] {0.9375, 0.75}, gradient(neuron, new double[] {0.5, 0.5}, new double[] {1, 1},
                type), EXACT);
    }
}
