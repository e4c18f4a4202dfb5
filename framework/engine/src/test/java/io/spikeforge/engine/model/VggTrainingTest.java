package io.spikeforge.engine.model;

import static io.spikeforge.engine.model.ModelTesting.accuracy;
import static io.spikeforge.engine.model.ModelTesting.bytesAllocatedDuring;
import static io.spikeforge.engine.model.ModelTesting.idsnnLif;
import static io.spikeforge.engine.model.ModelTesting.labels;
import static io.spikeforge.engine.model.ModelTesting.normal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.engine.layer.SoftmaxCrossEntropy;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * VGG learns: the ANN and the spiking VGG-11 (IDSNN's LIF, average pooling) memorize 8 random images
 * with random labels; and, once shapes repeat, a training step allocates no ND4J memory.
 */
class VggTrainingTest {
    private static final int CLASSES = 4;
    private static final INDArray IMAGES = normal(11, DataType.FLOAT, 8, 3, 16, 16);
    private static final int[] LABELS = labels(12, 8, CLASSES);

    private static Vgg.Builder small() {
        return Vgg.builder().optWidths(8, 16, 16, 16, 32, 32, 32, 32).optClasses(CLASSES).optSeed(5);
    }

    @Test
    void theAnnOverfitsATinyBatch() {
        assertMemorizes(small().build(), 0.05, 60);
    }

    @Test
    void theSpikingVggWithAveragePoolingOverfitsATinyBatch() {
        assertMemorizes(small().optSpiking(idsnnLif(), 4).optPooling(Pooling2d.Mode.AVERAGE).build(), 0.05, 150);
    }

    @Test
    void aRepeatedTrainingStepAllocatesNothing() {
        for (Vgg model : new Vgg[] {small().build(), small().optSpiking(idsnnLif(), 2).build()}) {
            INDArray images = normal(1, DataType.FLOAT, 4, 3, 16, 16);
            int[] labels = labels(2, 4, CLASSES);
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

            assertEquals(0, bytes, model.architecture() + " allocated during a repeated step");
            assertSame(logits, probed[0]);
            assertSame(gradImages, probed[1]);
        }
    }

    private static void assertMemorizes(Model model, double learningRate, int maxSteps) {
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
