package io.spikeforge.engine.model;

import static io.spikeforge.engine.model.ModelTesting.accuracy;
import static io.spikeforge.engine.model.ModelTesting.labels;
import static io.spikeforge.engine.model.ModelTesting.normal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.model.Parameter;
import io.spikeforge.engine.layer.SoftmaxCrossEntropy;
import io.spikeforge.engine.train.Sgd;
import io.spikeforge.engine.train.TrainingCheckpoint;
import io.spikeforge.testkit.SlowTest;
import io.spikeforge.testkit.activation.SoftClipTestActivation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A plugin activation's trainable tensors are trained like any weight: whole-network finite
 * differences in double precision include them, the engine's SGD updates them with weight decay and
 * momentum, checkpoints restore them and their momentum, and an ANN with them memorizes a tiny batch.
 */
@SlowTest
class PluginActivationTrainingTest {
    private static final AnnActivationFactory SOFT_CLIP = (name, channels, type) ->
            new SoftClipTestActivation(channels, 1.5, type);
    private static final int CLASSES = 4;

    @TempDir
    Path dir;

    private static ResNet.Builder small() {
        return ResNet.builder().optDepth(20).optBlocksPerStage(1).optWidths(4, 8, 8).optClasses(CLASSES).optSeed(3)
                .optActivation(SOFT_CLIP);
    }

    @Test
    void resNetGradientsIncludingTheActivationsMatchFiniteDifferences() {
        ModelTesting.assertGradientsMatch(small().optDataType(DataType.DOUBLE).build(), normal(1, DataType.DOUBLE, 2, 3, 8, 8), 8);
    }

    @Test
    void vggGradientsIncludingTheActivationsMatchFiniteDifferences() {
        Vgg model = Vgg.builder().optWidths(2, 3, 4, 4, 4, 4, 4, 4).optClasses(CLASSES).optSeed(2)
                .optActivation(SOFT_CLIP).optDataType(DataType.DOUBLE).build();
        ModelTesting.assertGradientsMatch(model, normal(2, DataType.DOUBLE, 2, 3, 8, 8), 8);
    }

    @Test
    void sgdUpdatesTheActivationsParametersWithWeightDecayAndMomentum() {
        ResNet model = small().build();
        Parameter bound = model.parameters().get("layer1.0.act2.bound");
        Sgd sgd = new Sgd(0.9, 0.01, false);
        double lr = 0.1;
        INDArray before = bound.value().dup();
        INDArray firstGradient = step(model, sgd, lr, 1);
        // first step: buf = g + wd * p; p -= lr * buf
        INDArray buffer = firstGradient.add(before.mul(0.01));
        assertClose(before.sub(buffer.mul(lr)), bound.value());
        INDArray afterFirst = bound.value().dup();
        INDArray secondGradient = step(model, sgd, lr, 2);
        buffer = buffer.mul(0.9).add(secondGradient).add(afterFirst.mul(0.01));
        assertClose(afterFirst.sub(buffer.mul(lr)), bound.value());
        assertNotEquals(before, bound.value());
    }

    @Test
    void aCheckpointRestoresTheActivationsParametersAndTheirMomentum() throws IOException {
        ResNet trained = small().build();
        Sgd optimizer = new Sgd(0.9, 1e-4, false);
        step(trained, optimizer, 0.1, 1);
        step(trained, optimizer, 0.1, 2);
        Path file = dir.resolve("checkpoint.safetensors");
        TrainingCheckpoint.write(file, trained, optimizer, Map.of());

        TrainingCheckpoint read = TrainingCheckpoint.read(file);
        assertTrue(read.modelTensors().containsKey("layer3.0.act1.bound"));
        assertTrue(read.momentumBuffers().containsKey("layer3.0.act1.bound"));
        ResNet resumed = small().optSeed(99).build();
        Sgd resumedOptimizer = new Sgd(0.9, 1e-4, false);
        read.restore(resumed, resumedOptimizer);
        step(trained, optimizer, 0.1, 3);
        step(resumed, resumedOptimizer, 0.1, 3);
        for (String name : trained.stateDict().names()) {
            assertArrayEquals(trained.stateDict().get(name).dup().data().asFloat(),
                    resumed.stateDict().get(name).dup().data().asFloat(), name);
        }
        assertNotEquals(1.5f, trained.stateDict().get("act1.bound").getFloat(0), "the bound moved, so its restoring"
                + " is tested");
    }

    @Test
    void theAnnWithATrainableActivationOverfitsATinyBatch() {
        INDArray images = normal(11, DataType.FLOAT, 8, 3, 8, 8);
        int[] labels = labels(12, 8, CLASSES);
        ResNet model = ResNet.builder().optDepth(20).optBlocksPerStage(1).optWidths(8, 16, 32).optClasses(CLASSES)
                .optSeed(5).optActivation(SOFT_CLIP).build();
        INDArray boundBefore = model.parameters().get("layer1.0.act1.bound").value().dup();
        ModelTesting.MomentumSgd sgd = new ModelTesting.MomentumSgd(model, 0.05, 0.9);
        double initialLoss = sgd.step(images, labels);
        double loss = initialLoss;
        int steps = 1;
        while (steps < 60 && !(accuracy(model.forward(images, true), labels) == 1.0 && loss < initialLoss / 10)) {
            loss = sgd.step(images, labels);
            steps++;
        }
        assertEquals(1.0, accuracy(model.forward(images, true), labels), "training accuracy after " + steps + " steps");
        assertTrue(loss < initialLoss / 10, "loss " + loss + " from " + initialLoss + " after " + steps + " steps");
        assertNotEquals(boundBefore, model.parameters().get("layer1.0.act1.bound").value(), "the bounds trained");
    }

    /** One step of SGD on a fixed batch; returns the bound's gradient of layer1.0.act2 in that step. */
    private static INDArray step(Model model, Sgd sgd, double lr, long seed) {
        INDArray images = normal(seed, DataType.FLOAT, 4, 3, 8, 8);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(DataType.FLOAT);
        model.zeroGradients();
        loss.forward(model.forward(images, true), labels(seed, 4, CLASSES));
        model.backward(loss.backward());
        INDArray gradient = model.parameters().get("layer1.0.act2.bound").gradient().dup();
        sgd.step(List.copyOf(model.parameters().values()), lr);
        return gradient;
    }

    private static void assertClose(INDArray expected, INDArray actual) {
        double[] e = ModelTesting.values(expected);
        double[] a = ModelTesting.values(actual);
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], 1e-6 * Math.max(1, Math.abs(e[i])), "entry " + i);
        }
    }
}
