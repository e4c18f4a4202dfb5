package io.spikeforge.engine.model;

import static io.spikeforge.engine.model.ModelTesting.idsnnLif;
import static io.spikeforge.engine.model.ModelTesting.labels;
import static io.spikeforge.engine.model.ModelTesting.normal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.spikeforge.engine.layer.SoftmaxCrossEntropy;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class SkipInputGradientTest {
    private static ResNet.Builder small(boolean spiking, DataType dataType) {
        ResNet.Builder builder = ResNet.builder().optDepth(8).optBlocksPerStage(1).optWidths(4, 8, 8).optClasses(10)
                .optSeed(3).optDataType(dataType);
        return spiking ? builder.optSpiking(idsnnLif(), 2) : builder;
    }

    /** Backward of one step; returns the images' gradient. */
    private static INDArray step(Model model, INDArray images, int[] labels) {
        model.zeroGradients();
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(model.dataType());
        loss.forward(model.forward(images, true), labels);
        return model.backward(loss.backward());
    }

    @ParameterizedTest(name = "spiking {0}")
    @ValueSource(booleans = {false, true})
    void aFloatModelSkipsTheImagesGradientAndKeepsTheParameterGradients(boolean spiking) {
        Model told = small(spiking, DataType.FLOAT).build();
        Model reference = small(spiking, DataType.FLOAT).build();
        told.skipInputGradient();
        INDArray images = normal(4, DataType.FLOAT, 4, 3, 8, 8);
        int[] labels = labels(5, 4, 10);
        assertNull(step(told, images, labels));
        assertNotNull(step(reference, images, labels));
        // the first convolution's weight gradient from oneDNN's backward-weights alone: the same
        // kernel and layouts as libnd4j's conv2d_bp, so the same numbers
        for (Map.Entry<String, io.spikeforge.api.model.Parameter> entry : reference.parameters().entrySet()) {
            assertArrayEquals(entry.getValue().gradient().data().asFloat(),
                    told.parameters().get(entry.getKey()).gradient().data().asFloat(), entry.getKey());
        }
    }

    @Test
    void aDoubleModelKeepsTheImagesGradient() {
        Model told = small(true, DataType.DOUBLE).build();
        told.skipInputGradient();
        assertNotNull(step(told, normal(4, DataType.DOUBLE, 2, 3, 8, 8), labels(5, 2, 10)));
    }
}
