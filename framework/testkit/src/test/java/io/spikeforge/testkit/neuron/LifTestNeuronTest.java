package io.spikeforge.testkit.neuron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spikeforge.api.neuron.NeuronModel;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The test kit's LIF neuron against sequences computed by hand from its documented formulas. */
class LifTestNeuronTest {
    private static final double EXACT = 1e-15;

    /** One neuron over T steps: a {@code [T, 1]} current. */
    private static INDArray sequence(DataType type, double... values) {
        return Nd4j.createFromArray(values).reshape(values.length, 1).castTo(type);
    }

    private static double[] values(INDArray array) {
        return array.castTo(DataType.DOUBLE).dup('c').reshape(array.length()).toDoubleVector();
    }

    @Test
    void idsnnDefaultsLeakByAQuarterFireAboveOneHalfAndResetHardToZero() {
        NeuronModel neuron = LifTestNeuron.builder().build();
        // H = 0.4; H = 0.25 * 0.4 + 0.3 = 0.4; H = 0.1 + 0.6 = 0.7 fires, V = 0; H = 0.1
        INDArray spikes = neuron.forward(sequence(DataType.DOUBLE, 0.4, 0.3, 0.6, 0.1), 4, true);
        assertArrayEquals(new double[] {0, 0, 1, 0}, values(spikes));
        // box of width 1 around 0.5: every H above lies inside, slope 1. dL/dS[1] = 1 reaches step 0
        // through the leak (0.25); a spike at step 2 cuts the path from step 3 (detached hard reset).
        assertArrayEquals(new double[] {0.25, 1, 0, 0},
                values(neuron.backward(sequence(DataType.DOUBLE, 0, 1, 0, 0))), EXACT);
        neuron.forward(sequence(DataType.DOUBLE, 0.4, 0.3, 0.6, 0.1), 4, true);
        assertArrayEquals(new double[] {0, 0, 0, 1},
                values(neuron.backward(sequence(DataType.DOUBLE, 0, 0, 0, 1))), EXACT);
        assertEquals(0.5, neuron.threshold().orElseThrow());
    }

    @Test
    void spikingJellySettingsScaleTheInputFireAtTheThresholdAndKeepTheResetInTheGradient() {
        NeuronModel neuron = LifTestNeuron.builder().optTau(2).optDecayInput(true).optThreshold(1)
                .optDetachReset(false).optFireAtThreshold(true).build();
        // decay 0.5, gain 0.5: H = 1.0 fires at the threshold, V = 0; H = 0.5, V = 0.5; H = 0.25 + 1 fires
        INDArray spikes = neuron.forward(sequence(DataType.DOUBLE, 2, 1, 2), 3, true);
        assertArrayEquals(new double[] {1, 0, 1}, values(spikes));
        // slopes (box of width 1 around 1): H = 1 -> 1, H = 0.5 -> 0 (edge excluded), H = 1.25 -> 1.
        // dL/dH[2] = 1; dL/dH[1] = 0.5 * (1 - 0) * 1 = 0.5; dL/dH[0] = 0.5 * (1 - 1 + (0 - 1) * 1) * 0.5
        // = -0.25; dL/dX = 0.5 * dL/dH
        assertArrayEquals(new double[] {-0.125, 0.25, 0.5}, values(neuron.backward(sequence(DataType.DOUBLE, 0, 0, 1))),
                EXACT);
    }

    @Test
    void integrateAndFireSubtractsTheThresholdAndStartsFromTheInitialPotential() {
        NeuronModel neuron = LifTestNeuron.builder().optDecay(1).optThreshold(1).optSoftReset()
                .optFireAtThreshold(true).optInitialPotential(0.5).build();
        // H = 0.5 + 0.6 = 1.1 fires, V = 0.1; H = 0.3; H = 1.2 fires
        assertArrayEquals(new double[] {1, 0, 1}, values(neuron.forward(sequence(DataType.DOUBLE, 0.6, 0.2, 0.9), 3,
                false)));
        // detached soft reset: dV/dH = 1 and no leak, so dL/dS[2] = 1 (slope 1 at H = 1.2) flows back
        // unchanged through H = 0.3 and H = 1.1, whose own slopes do not matter here
        neuron.forward(sequence(DataType.DOUBLE, 0.6, 0.2, 0.9), 3, true);
        assertArrayEquals(new double[] {1, 1, 1}, values(neuron.backward(sequence(DataType.DOUBLE, 0, 0, 1))), EXACT);
    }

    @Test
    void outputsFollowTheInputTypeAndReuseTheirBuffers() {
        NeuronModel neuron = LifTestNeuron.builder().build();
        INDArray current = Nd4j.rand(DataType.FLOAT, 4, 2, 3);
        INDArray first = neuron.forward(current, 2, true);
        assertEquals(DataType.FLOAT, first.dataType());
        assertArrayEquals(current.shape(), first.shape());
        INDArray gradient = neuron.backward(Nd4j.ones(DataType.FLOAT, 4, 2, 3));
        assertEquals(DataType.FLOAT, gradient.dataType());
        INDArray second = neuron.forward(current, 2, true);
        assertEquals(first.data().address(), second.data().address(),
                "the spikes' buffer is reused");
        assertSame(DataType.DOUBLE, neuron.forward(current.castTo(DataType.DOUBLE), 2, false).dataType());
    }

    @Test
    void settingsThatCannotResetAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> LifTestNeuron.builder().optResetPotential(0.6).build());
        assertThrows(IllegalArgumentException.class,
                () -> LifTestNeuron.builder().optSoftReset().optResetPotential(-1).build());
        assertThrows(IllegalArgumentException.class, () -> LifTestNeuron.builder().optDecay(1.5));
        assertThrows(IllegalArgumentException.class, () -> LifTestNeuron.builder().optTau(0.5));
    }
}
