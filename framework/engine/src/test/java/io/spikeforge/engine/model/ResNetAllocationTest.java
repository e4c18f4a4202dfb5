package io.spikeforge.engine.model;

import static io.spikeforge.engine.model.ModelTesting.bytesAllocatedDuring;
import static io.spikeforge.engine.model.ModelTesting.idsnnLif;
import static io.spikeforge.engine.model.ModelTesting.labels;
import static io.spikeforge.engine.model.ModelTesting.normal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.engine.layer.SoftmaxCrossEntropy;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Once shapes repeat, a training step (zeroing gradients, forward, loss, backward) and an
 * evaluation forward create no ND4J array: every array created on the thread during the probed
 * step would land in the probe's workspace. Spiking networks run the test kit's IDSNN LIF
 * neuron, which reuses its buffers as the lif plugin's neuron does (LifAllocationTest there).
 */
class ResNetAllocationTest {
    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("ANN", small().build()),
                Arguments.of("spiking basic", small().optSpiking(idsnnLif(), 2).build()),
                Arguments.of("SEW", small().optSpiking(idsnnLif(), 2).optBlockType(BlockType.SEW_ADD).build()));
    }

    private static ResNet.Builder small() {
        return ResNet.builder().optDepth(20).optBlocksPerStage(2, 1, 1).optWidths(4, 8, 8).optClasses(5);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void aRepeatedTrainingStepAllocatesNothing(String name, ResNet model) {
        INDArray images = normal(1, DataType.FLOAT, 4, 3, 8, 8);
        int[] labels = labels(2, 4, 5);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(DataType.FLOAT);
        INDArray logits = model.forward(images, true);
        loss.forward(logits, labels);
        INDArray gradImages = model.backward(loss.backward());
        model.forward(images, false);

        INDArray[] probed = new INDArray[2];
        long bytes = bytesAllocatedDuring(() -> {
            model.zeroGradients();
            probed[0] = model.forward(images, true);
            loss.forward(probed[0], labels);
            probed[1] = model.backward(loss.backward());
            model.forward(images, false);
        });

        assertEquals(0, bytes, name + " allocated during a repeated step");
        assertSame(logits, probed[0]);
        assertSame(gradImages, probed[1]);
    }

    @Test
    void theProbeSeesAllocations() {
        assertTrue(bytesAllocatedDuring(() -> Nd4j.create(DataType.FLOAT, 16)) >= 64);
    }
}
