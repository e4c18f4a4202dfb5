package io.spikeforge.engine.model;

import static io.spikeforge.engine.model.ModelTesting.copyOfState;
import static io.spikeforge.engine.model.ModelTesting.idsnnLif;
import static io.spikeforge.engine.model.ModelTesting.normal;
import static io.spikeforge.engine.model.ModelTesting.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spikeforge.engine.layer.Conv2d;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class ResNetBehaviourTest {
    private static final int T = 3;

    private static ResNet.Builder small() {
        return ResNet.builder().optDepth(20).optBlocksPerStage(1).optWidths(4, 8, 8).optClasses(5);
    }

    @Test
    void theSameSeedGivesTheSameWeightsAndLogits() {
        INDArray images = normal(1, DataType.FLOAT, 4, 3, 8, 8);
        for (boolean spiking : new boolean[] {false, true}) {
            ResNet first = spiking ? small().optSpiking(idsnnLif(), T).optSeed(7).build() : small().optSeed(7).build();
            // ND4J's global generator must not matter
            Nd4j.getRandom().setSeed(12345);
            ResNet second = spiking ? small().optSpiking(idsnnLif(), T).optSeed(7).build() : small().optSeed(7).build();
            ResNet other = spiking ? small().optSpiking(idsnnLif(), T).optSeed(8).build() : small().optSeed(8).build();
            Map<String, INDArray> state = copyOfState(first);
            state.forEach((name, value) -> assertEquals(value, second.stateDict().get(name), name));
            assertNotEquals(state.get("layer2.0.conv1.weight"), other.stateDict().get("layer2.0.conv1.weight"));
            assertNotEquals(state.get("fc.weight"), other.stateDict().get("fc.weight"));
            for (boolean training : new boolean[] {true, false}) {
                assertArrayEquals(values(first.forward(images, training)), values(second.forward(images, training)), 0);
            }
        }
    }

    /** Eval mode normalizes with the running statistics, so each sample's logits ignore the rest of the batch. */
    @Test
    void evalModeUsesRunningStatisticsAndLeavesThemAlone() {
        for (ResNet model : new ResNet[] {small().build(), small().optSpiking(idsnnLif(), T).build()}) {
            INDArray batch = normal(2, DataType.FLOAT, 4, 3, 8, 8);
            INDArray first = batch.get(NDArrayIndex.interval(0, 1)).dup();
            Map<String, INDArray> before = copyOfState(model);

            double[] alone = values(model.forward(first, false));
            double[] inBatch = Arrays.copyOf(values(model.forward(batch, false)), alone.length);
            assertArrayEquals(alone, inBatch, 1e-5);
            before.forEach((name, value) -> assertEquals(value, model.stateDict().get(name), name));

            double[] trainingInBatch = Arrays.copyOf(values(model.forward(batch, true)), alone.length);
            assertNotEquals(Arrays.toString(alone), Arrays.toString(trainingInBatch));
        }
    }

    /**
     * One training step moves every running statistic 10 % toward the batch's. For the stem's BN:
     * the mean of the stem convolution's output, and its unbiased variance over all values the BN
     * saw: B*H*W per channel in the ANN, T*B*H*W in the spiking network (tdBN), where the T copies
     * of the direct-encoded output share the mean and biased variance of one copy.
     */
    @Test
    void trainingModeUpdatesRunningStatisticsOverTimeAndBatch() {
        INDArray images = normal(3, DataType.FLOAT, 4, 3, 8, 8);
        for (ResNet model : new ResNet[] {small().build(), small().optSpiking(idsnnLif(), T).build()}) {
            Conv2d reference = new Conv2d(3, 4, 3, 1, 1, false, DataType.FLOAT);
            reference.weight().value().assign(model.stateDict().get("conv1.weight"));
            INDArray stemOutput = reference.forward(images, false);
            INDArray mean = stemOutput.mean(0, 2, 3);
            INDArray biasedVariance = stemOutput.var(false, 0, 2, 3);
            long seen = model.timeSteps() * stemOutput.length() / 4;

            model.forward(images, true);

            assertArrayEquals(values(mean.mul(0.1)), values(model.stateDict().get("bn1.running_mean")), 1e-6);
            double[] expectedVariance = values(biasedVariance.mul(0.1 * seen / (seen - 1.0)).add(0.9));
            assertArrayEquals(expectedVariance, values(model.stateDict().get("bn1.running_var")), 1e-5);
            for (String name : model.stateDict().names()) {
                if (name.endsWith("running_mean")) {
                    assertNotEquals(0.0, model.stateDict().get(name).amaxNumber().doubleValue(), name);
                }
            }
        }
    }

    /** Direct encoding: convolving once and repeating the output equals convolving the repeated images. */
    @Test
    void theDirectEncodingStemEqualsTheConvolutionOfTheRepeatedImages() {
        Conv2d once = new Conv2d(3, 4, 3, 1, 1, false, DataType.DOUBLE);
        Conv2d repeated = new Conv2d(3, 4, 3, 1, 1, false, DataType.DOUBLE);
        repeated.weight().value().assign(once.weight().value());
        DirectEncodingStem stem = new DirectEncodingStem(once, T, DataType.DOUBLE);
        INDArray images = normal(4, DataType.DOUBLE, 2, 3, 6, 6);
        INDArray timeMajorImages = Nd4j.concat(0, images, images, images);

        INDArray expected = repeated.forward(timeMajorImages, true);
        assertArrayEquals(values(expected), values(stem.forward(images, true)), 1e-12);

        INDArray gradOutput = normal(5, DataType.DOUBLE, expected.shape());
        INDArray perStepGradImages = repeated.backward(gradOutput);
        INDArray gradImages = stem.backward(gradOutput);
        INDArray summed = Nd4j.zeros(DataType.DOUBLE, images.shape());
        for (int t = 0; t < T; t++) {
            summed.addi(perStepGradImages.get(NDArrayIndex.interval(2L * t, 2L * t + 2)));
        }
        assertArrayEquals(values(summed), values(gradImages), 1e-12);
        assertArrayEquals(values(repeated.weight().gradient()), values(once.weight().gradient()), 1e-12);
    }

    @Test
    void backwardNeedsATrainingForward() {
        ResNet model = small().optSpiking(idsnnLif(), T).build();
        INDArray logits = model.forward(normal(6, DataType.FLOAT, 2, 3, 8, 8), false);
        assertThrows(IllegalStateException.class, () -> model.backward(logits));
    }
}
