package io.spikeforge.engine.model;

import static io.spikeforge.engine.model.ModelTesting.idsnnLif;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spikeforge.api.model.StateDict;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A one-channel, 1x1 spiking ResNet with one block, T = 3, the IDSNN LIF neuron
 * ({@code H[t] = 0.25 * V[t-1] + X[t]}, spike when {@code H > 0.5}, hard reset to 0) and weights set
 * by hand, evaluated in eval mode. On a 1x1 map with padding 1, a 3x3 kernel's centre is its only
 * tap. Every BN has running mean 0 and variance 1, so it is {@code x -> weight * x + bias} up to the
 * factor {@code 1 / sqrt(1 + 1e-5)}, far inside the margins below.
 */
class SpikingBlockHandComputedTest {
    private static final int T = 3;

    private static ResNet handSet(BlockType type, ModelTesting.RecordingNeurons neurons) {
        ResNet model = ResNet.builder().optInputChannels(1).optWidths(1).optBlocksPerStage(1).optClasses(1)
                .optSpiking(neurons, T).optBlockType(type).build();
        StateDict state = model.stateDict();
        for (String name : state.names()) {
            state.get(name).assign(name.endsWith("running_var") ? 1 : 0);
        }
        centre(state.get("conv1.weight"), 0.39);
        state.get("bn1.weight").assign(1);
        centre(state.get("layer1.0.conv1.weight"), 1);
        state.get("layer1.0.bn1.weight").assign(1);
        state.get("layer1.0.bn1.bias").assign(0.45);
        centre(state.get("layer1.0.conv2.weight"), 1);
        state.get("layer1.0.bn2.weight").assign(0.15);
        state.get("layer1.0.bn2.bias").assign(0.3);
        state.get("fc.weight").assign(1.5);
        state.get("fc.bias").assign(-0.25);
        return model;
    }

    private static void centre(INDArray kernel, double value) {
        kernel.putScalar(new long[] {0, 0, 1, 1}, value);
    }

    /**
     * Image 1. Stem: current 0.39 at every step (direct encoding); sn1: H = 0.39, 0.0975 + 0.39 =
     * 0.4875, 0.121875 + 0.39 = 0.511875, so spikes x = 0, 0, 1.
     * Block conv1 + bn1: x + 0.45 = 0.45, 0.45, 1.45; sn1: H = 0.45 (no), 0.1125 + 0.45 = 0.5625
     * (spike, reset to 0), 1.45 (spike): 0, 1, 1.
     * conv2 + bn2: 0.15 * s + 0.3 = 0.3, 0.45, 0.45; plus the identity shortcut x: 0.3, 0.45, 1.45;
     * sn2 after the addition: H = 0.3 (no), 0.075 + 0.45 = 0.525 (spike: the leak carried 0.075 over
     * the threshold; reset), 1.45 (spike: the shortcut's spike; without it 0.45): 0, 1, 1.
     * Readout: pooled 0, 1, 1; mean over T 2/3; fc: 1.5 * 2/3 - 0.25 = 0.75.
     */
    @Test
    void idsnnBasicBlockFiresAsComputedByHand() {
        ModelTesting.RecordingNeurons neurons = new ModelTesting.RecordingNeurons(idsnnLif());
        ResNet model = handSet(BlockType.SPIKING_BASIC, neurons);

        INDArray logits = model.forward(Nd4j.ones(DataType.FLOAT, 1, 1, 1, 1), false);

        assertArrayEquals(new double[] {0, 0, 1}, neurons.spikes("sn1"));
        assertArrayEquals(new double[] {0, 1, 1}, neurons.spikes("layer1.0.sn1"));
        assertArrayEquals(new double[] {0, 1, 1}, neurons.spikes("layer1.0.sn2"));
        assertEquals(0.75, logits.getDouble(0, 0), 1e-6);
        assertEquals(Map.of("sn1", 1 / 3.0, "layer1.0.sn1", 2 / 3.0, "layer1.0.sn2", 2 / 3.0), model.firingRates());
    }

    /**
     * Same weights in a SEW block: sn2 now acts on bn2's output 0.3, 0.45, 0.45 before the addition:
     * H = 0.3 (no), 0.525 (spike, reset), 0.45 (no): 0, 1, 0; the block output is those spikes plus
     * x = 0, 0, 1: 0, 1, 1, so again the logit 0.75.
     */
    @Test
    void sewBlockAddsTheMainPathsSpikesToTheShortcut() {
        ModelTesting.RecordingNeurons neurons = new ModelTesting.RecordingNeurons(idsnnLif());
        ResNet model = handSet(BlockType.SEW_ADD, neurons);

        INDArray logits = model.forward(Nd4j.ones(DataType.FLOAT, 1, 1, 1, 1), false);

        assertArrayEquals(new double[] {0, 0, 1}, neurons.spikes("sn1"));
        assertArrayEquals(new double[] {0, 1, 1}, neurons.spikes("layer1.0.sn1"));
        assertArrayEquals(new double[] {0, 1, 0}, neurons.spikes("layer1.0.sn2"));
        assertEquals(0.75, logits.getDouble(0, 0), 1e-6);
    }
}
