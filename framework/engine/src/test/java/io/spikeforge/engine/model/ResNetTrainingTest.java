package io.spikeforge.engine.model;

import static io.spikeforge.engine.model.ModelTesting.accuracy;
import static io.spikeforge.engine.model.ModelTesting.idsnnLif;
import static io.spikeforge.engine.model.ModelTesting.labels;
import static io.spikeforge.engine.model.ModelTesting.normal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.testkit.SlowTest;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Forward, backward and the gradients together are good enough to learn: each network memorizes 8
 * random images with random labels among 4 classes with plain momentum SGD within a bounded number
 * of steps.
 */
@SlowTest
class ResNetTrainingTest {
    private static final int CLASSES = 4;
    private static final INDArray IMAGES = normal(11, DataType.FLOAT, 8, 3, 8, 8);
    private static final int[] LABELS = labels(12, 8, CLASSES);

    private static ResNet.Builder small() {
        return ResNet.builder().optDepth(20).optBlocksPerStage(1).optWidths(8, 16, 32).optClasses(CLASSES).optSeed(5);
    }

    @Test
    void theAnnOverfitsATinyBatch() {
        assertMemorizes(small().build(), 0.05, 40);
    }

    @Test
    void theSpikingNetworkWithIdsnnNeuronsOverfitsATinyBatch() {
        assertMemorizes(small().optSpiking(idsnnLif(), 4).build(), 0.05, 100);
    }

    private static void assertMemorizes(ResNet model, double learningRate, int maxSteps) {
        ModelTesting.MomentumSgd sgd = new ModelTesting.MomentumSgd(model, learningRate, 0.9);
        double initialLoss = sgd.step(IMAGES, LABELS);
        double loss = initialLoss;
        int steps = 1;
        while (steps < maxSteps && !(accuracy(model.forward(IMAGES, true), LABELS) == 1.0 && loss < initialLoss / 10)) {
            loss = sgd.step(IMAGES, LABELS);
            steps++;
        }
        assertEquals(1.0, accuracy(model.forward(IMAGES, true), LABELS), "training accuracy after " + steps + " steps");
        assertTrue(loss < initialLoss / 10, "loss " + loss + " from " + initialLoss + " after " + steps + " steps");
    }
}
