package io.spikeforge.engine.model;

import static io.spikeforge.engine.model.ModelTesting.normal;

import io.spikeforge.engine.layer.ActivationLayout;
import io.spikeforge.testkit.SlowTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Whole-network finite-difference checks in double precision, BN in training mode, loss
 * {@code sum(logits * R)}: dL/dimages and a sample of entries of every parameter tensor. Three
 * stages of one block each cover the identity block and both projection blocks.
 */
@SlowTest
class ResNetGradientTest {
    private static final int ENTRIES_PER_TENSOR = 8;
    /** Sharpness of the smooth spike: steep enough to resemble a step, smooth enough for h = 1e-6. */
    private static final double STEEPNESS = 4;

    private static ResNet.Builder small() {
        return ResNet.builder().optDepth(20).optBlocksPerStage(1).optWidths(4, 8, 8).optClasses(5)
                .optDataType(DataType.DOUBLE).optSeed(3);
    }

    @Test
    void annGradientsMatchFiniteDifferences() {
        ModelTesting.assertGradientsMatch(small().build(), normal(1, DataType.DOUBLE, 2, 3, 8, 8), ENTRIES_PER_TENSOR);
    }

    @Test
    void annGradientsMatchFiniteDifferencesInNhwc() {
        ModelTesting.assertGradientsMatch(small().optLayout(ActivationLayout.NHWC).build(),
                normal(1, DataType.DOUBLE, 2, 3, 8, 8), ENTRIES_PER_TENSOR);
    }

    @ParameterizedTest
    @EnumSource(BlockType.class)
    void spikingGradientsMatchFiniteDifferencesInNhwc(BlockType type) {
        ResNet model = small().optSpiking((name, dataType) -> new ModelTesting.SmoothLifNeuron(STEEPNESS), 3)
                .optBlockType(type).optLayout(ActivationLayout.NHWC).build();
        ModelTesting.assertGradientsMatch(model, normal(2, DataType.DOUBLE, 2, 3, 8, 8), ENTRIES_PER_TENSOR);
    }

    @ParameterizedTest
    @EnumSource(BlockType.class)
    void spikingGradientsMatchFiniteDifferencesWithASmoothNeuron(BlockType type) {
        ResNet model = small().optSpiking((name, dataType) -> new ModelTesting.SmoothLifNeuron(STEEPNESS), 3).optBlockType(type)
                .build();
        ModelTesting.assertGradientsMatch(model, normal(2, DataType.DOUBLE, 2, 3, 8, 8), ENTRIES_PER_TENSOR);
    }
}
