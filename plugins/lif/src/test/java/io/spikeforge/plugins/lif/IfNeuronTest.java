package io.spikeforge.plugins.lif;

import static io.spikeforge.plugins.lif.Neurons.gradient;
import static io.spikeforge.plugins.lif.Neurons.spikes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.spikeforge.api.neuron.NeuronModel;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;

/** The {@code if} neuron on hand-computed sequences: no leak, soft reset, firing at the threshold. */
class IfNeuronTest {
    private static NeuronModel neuron(Map<String, ?> yaml) {
        return Neurons.create(new IfNeuronProvider(), yaml, new BoxSurrogate());
    }

    private static double[] constant(double value, int steps) {
        double[] x = new double[steps];
        Arrays.fill(x, value);
        return x;
    }

    /*
     * Constant input 0.375, threshold 1, initial membrane 0.5 (theta/2), soft reset, V >= 1 fires:
     * H0 = 0.875; H1 = 1.25 -> 1, V = 0.25; H2 = 0.625; H3 = 1.0 -> 1, V = 0; H4 = 0.375; H5 = 0.75;
     * H6 = 1.125 -> 1, V = 0.125; H7 = 0.5. Three spikes in 8 steps: the rate equals input / threshold.
     */
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void halfThresholdStartWithSoftReset(DataType type) {
        assertArrayEquals(new double[] {0, 1, 0, 1, 0, 0, 1, 0},
                spikes(neuron(Map.of("initial_membrane", 0.5)), type, constant(0.375, 8)));
    }

    /* Starting from 0 instead: H = 0.375, 0.75, 1.125 -> 1 (V 0.125), 0.5, 0.875, 1.25 -> 1 (V 0.25), 0.625, 1.0 -> 1. */
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void zeroStartFiresLater(DataType type) {
        assertArrayEquals(new double[] {0, 0, 1, 0, 0, 1, 0, 1}, spikes(neuron(Map.of()), type, constant(0.375, 8)));
    }

    /* The brief's example: constant 0.3, threshold 1, V(0) = 0.5: H = 0.8; 1.1 -> 1 (V 0.1); 0.4; 0.7. */
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void constantPointThreeFromHalfThreshold(DataType type) {
        assertArrayEquals(new double[] {0, 1, 0, 0},
                spikes(neuron(Map.of("initial_membrane", 0.5)), type, constant(0.3, 4)));
    }

    /*
     * fire_at_threshold: false with input 0.375 from 0.5: H3 = 1.0 does not fire (V stays 1.0);
     * H4 = 1.375 -> 1, V = 0.375; H5 = 0.75; H6 = 1.125 -> 1, V = 0.125; H7 = 0.5.
     */
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void strictFiringWaitsForMoreThanThreshold(DataType type) {
        assertArrayEquals(new double[] {0, 1, 0, 0, 1, 0, 1, 0},
                spikes(neuron(Map.of("initial_membrane", 0.5, "fire_at_threshold", false)), type, constant(0.375, 8)));
    }

    /* Hard reset drops the excess: from 0.5, H = 0.875; 1.25 -> 1 (V 0); 0.375; 0.75; 1.125 -> 1; 0.375; 0.75; 1.125 -> 1. */
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void hardResetDropsTheExcess(DataType type) {
        assertArrayEquals(new double[] {0, 1, 0, 0, 1, 0, 0, 1},
                spikes(neuron(Map.of("initial_membrane", 0.5, "reset", "hard")), type, constant(0.375, 8)));
    }

    /*
     * A threshold of 2 scales the initial membrane: initial_membrane 0.5 starts at 1.0. Input 0.75:
     * H = 1.75; 2.5 -> 1 (V 0.5); 1.25; 2.0 -> 1 (V 0).
     */
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void initialMembraneIsAFractionOfTheThreshold(DataType type) {
        assertArrayEquals(new double[] {0, 1, 0, 1},
                spikes(neuron(Map.of("threshold", 2.0, "initial_membrane", 0.5)), type, constant(0.75, 4)));
    }

    /*
     * Without leak and with a detached soft reset, dH(t+1)/dH(t) = 1: dL/dspike = 1 at step 6 only
     * (H6 = 1.125, box surrogate 1) reaches every earlier input undiminished, and step 7 gets nothing.
     */
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void gradientFlowsBackUndiminished(DataType type) {
        double[] gradSpikes = new double[8];
        gradSpikes[6] = 1;
        assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1, 1, 0},
                gradient(neuron(Map.of("initial_membrane", 0.5)), constant(0.375, 8), gradSpikes, type));
    }
}
