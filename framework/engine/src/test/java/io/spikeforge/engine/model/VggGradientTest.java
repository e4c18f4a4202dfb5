package io.spikeforge.engine.model;

import static io.spikeforge.engine.model.ModelTesting.normal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.engine.layer.ActivationLayout;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Whole-network finite-difference checks of VGG in double precision, BN in training mode, loss
 * {@code sum(logits * R)}: dL/dimages and a sample of entries of every parameter tensor, with both
 * poolings, on an even and an odd image size (windows cut at the border).
 */
class VggGradientTest {
    private static final int ENTRIES_PER_TENSOR = 6;
    private static final double STEEPNESS = 4;

    private static Vgg.Builder small(Pooling2d.Mode pooling) {
        return Vgg.builder().optWidths(3, 4, 4, 4, 5, 5, 4, 4).optClasses(5).optPooling(pooling)
                .optDataType(DataType.DOUBLE).optSeed(3);
    }

    @ParameterizedTest
    @EnumSource(Pooling2d.Mode.class)
    void annGradientsMatchFiniteDifferences(Pooling2d.Mode pooling) {
        ModelTesting.assertGradientsMatch(small(pooling).build(), normal(1, DataType.DOUBLE, 2, 3, 8, 8), ENTRIES_PER_TENSOR);
    }

    @ParameterizedTest
    @EnumSource(Pooling2d.Mode.class)
    void gradientsMatchFiniteDifferencesInNhwc(Pooling2d.Mode pooling) {
        ModelTesting.assertGradientsMatch(small(pooling).optLayout(ActivationLayout.NHWC).build(),
                normal(1, DataType.DOUBLE, 2, 3, 7, 7), ENTRIES_PER_TENSOR);
        Vgg model = small(pooling).optSpiking((name, type) -> new ModelTesting.SmoothLifNeuron(STEEPNESS), 2)
                .optLayout(ActivationLayout.NHWC).build();
        ModelTesting.assertGradientsMatch(model, normal(2, DataType.DOUBLE, 2, 3, 8, 8), ENTRIES_PER_TENSOR);
    }

    @Test
    void annGradientsMatchOnAnOddImageSize() {
        ModelTesting.assertGradientsMatch(small(Pooling2d.Mode.AVERAGE).build(), normal(4, DataType.DOUBLE, 2, 3, 7, 7), ENTRIES_PER_TENSOR);
    }

    @ParameterizedTest
    @EnumSource(Pooling2d.Mode.class)
    void spikingGradientsMatchFiniteDifferencesWithASmoothNeuron(Pooling2d.Mode pooling) {
        Vgg model = small(pooling).optSpiking((name, type) -> new ModelTesting.SmoothLifNeuron(STEEPNESS), 2).build();
        ModelTesting.assertGradientsMatch(model, normal(2, DataType.DOUBLE, 2, 3, 8, 8), ENTRIES_PER_TENSOR);
    }
}
