package io.spikeforge.engine.layer;

import static io.spikeforge.engine.layer.TestTensors.assertPassed;
import static io.spikeforge.engine.layer.TestTensors.normal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.engine.gradcheck.GradientCheck;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

class SpikingActivationTest {
    /** A smooth stand-in for spiking neurons: sigmoid per element, so finite differences apply. */
    private static final class SigmoidNeuron implements NeuronModel {
        private INDArray output;
        private int lastTimeSteps;

        @Override
        public INDArray forward(INDArray current, int timeSteps, boolean training) {
            lastTimeSteps = timeSteps;
            INDArray result = Transforms.sigmoid(current, true);
            output = training ? result : null;
            return result;
        }

        @Override
        public INDArray backward(INDArray gradSpikes) {
            if (output == null) {
                throw new IllegalStateException("no training forward");
            }
            return gradSpikes.mul(output).muli(output.rsub(1));
        }

        @Override
        public void clear() {
            output = null;
        }
    }

    /** Spikes where the current is positive. */
    private static final class SignNeuron implements NeuronModel {
        @Override
        public INDArray forward(INDArray current, int timeSteps, boolean training) {
            return current.gt(0).castTo(current.dataType());
        }

        @Override
        public INDArray backward(INDArray gradSpikes) {
            return gradSpikes;
        }

        @Override
        public void clear() {
        }
    }

    @Test
    void gradientsOfTheWrappedNeuronMatchFiniteDifferences() {
        SigmoidNeuron neuron = new SigmoidNeuron();
        SpikingActivation activation = new SpikingActivation(neuron, 3, DataType.DOUBLE);
        assertPassed(GradientCheck.withDefaults().check(activation, normal(1, 3 * 2, 2, 3, 3)));
        assertEquals(3, neuron.lastTimeSteps);
    }

    @Test
    void recordsTheFiringRateOfTheLastForward() {
        SpikingActivation activation = new SpikingActivation(new SignNeuron(), 2, DataType.DOUBLE);
        assertTrue(Double.isNaN(activation.lastFiringRate()));
        INDArray current = Nd4j.create(new float[] {1, -1, 2, -3, 0.5f, 4, -1, -2}, new long[] {4, 2});
        activation.forward(current, false);
        assertEquals(4 / 8.0, activation.lastFiringRate(), 1e-12);
        activation.forward(current.neg(), false);
        assertEquals(4 / 8.0, activation.lastFiringRate(), 1e-12);
        activation.forward(Nd4j.ones(DataType.FLOAT, 4, 2), false);
        assertEquals(1.0, activation.lastFiringRate(), 1e-12);
    }

    /** Spikes where the current is positive, in one buffer that the backward overwrites with the gradient. */
    private static final class ReusingSignNeuron implements NeuronModel {
        private INDArray buffer;

        @Override
        public INDArray forward(INDArray current, int timeSteps, boolean training) {
            if (buffer == null || !Arrays.equals(buffer.shape(), current.shape())) {
                buffer = Nd4j.create(current.dataType(), current.shape());
            }
            return buffer.assign(current.gt(0).castTo(current.dataType()));
        }

        @Override
        public INDArray backward(INDArray gradSpikes) {
            return buffer.assign(gradSpikes);
        }

        @Override
        public void clear() {
            buffer = null;
        }
    }

    /**
     * Training reads no firing rate, so a training forward counts the spikes only when asked, before
     * the backward reuses their buffer; an evaluation forward counts at once.
     */
    @Test
    void aTrainingForwardCountsOnlyWhenAskedBeforeTheBackward() {
        SpikingActivation activation = new SpikingActivation(new ReusingSignNeuron(), 2, DataType.DOUBLE);
        INDArray current = Nd4j.create(new double[] {1, -1, 2, -3, 0.5, 4, -1, -2}, new long[] {4, 2});
        INDArray gradient = Nd4j.valueArrayOf(new long[] {4, 2}, 7.0, DataType.DOUBLE);

        activation.forward(current, true);
        assertEquals(4 / 8.0, activation.lastFiringRate(), 1e-12);
        activation.backward(gradient);
        assertEquals(4 / 8.0, activation.lastFiringRate(), 1e-12, "asked before the backward");

        activation.forward(current.neg(), true);
        activation.backward(gradient);
        assertTrue(Double.isNaN(activation.lastFiringRate()), "not asked before the backward: not counted");

        activation.forward(Nd4j.ones(DataType.DOUBLE, 4, 2), false);
        activation.forward(current, true);
        assertEquals(4 / 8.0, activation.lastFiringRate(), 1e-12, "the last forward's, not an earlier one's");

        activation.forward(current, false);
        current.assign(-1);
        activation.neuron().forward(current, 2, false);
        assertEquals(4 / 8.0, activation.lastFiringRate(), 1e-12, "an evaluation forward counted at once");
    }

    @Test
    void backwardNeedsATrainingForwardAndTheBatchAMultipleOfT() {
        SpikingActivation activation = new SpikingActivation(new SigmoidNeuron(), 2, DataType.DOUBLE);
        assertThrows(IllegalArgumentException.class, () -> activation.forward(normal(1, 3, 2), true));
        activation.forward(normal(1, 4, 2), false);
        assertThrows(IllegalStateException.class, () -> activation.backward(normal(2, 4, 2)));
    }
}
