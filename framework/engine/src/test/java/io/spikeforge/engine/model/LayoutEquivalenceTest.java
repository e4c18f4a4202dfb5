package io.spikeforge.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.engine.layer.ActivationLayout;
import io.spikeforge.engine.layer.Conv2d;
import io.spikeforge.testkit.activation.SoftClipTestActivation;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Whole models in NHWC against the same models in NCHW: equal weights give bit-identical logits,
 * image gradients and parameter gradients over training steps, for the ANN and both spiking
 * blocks of the ResNet and for the VGG with both poolings; the layout is FLOAT's default.
 */
class LayoutEquivalenceTest {
    /*
     * libnd4j's two layouts, bit for bit: FLOAT NHWC convolutions otherwise run on oneDNN called
     * directly, whose kernels round differently (OneDnnConvolutionTest compares them with libnd4j).
     */
    @BeforeAll
    static void convolutionsOnLibnd4j() {
        System.setProperty(Conv2d.DIRECT_ONEDNN_PROPERTY, "false");
    }

    @AfterAll
    static void convolutionsAsConfigured() {
        System.clearProperty(Conv2d.DIRECT_ONEDNN_PROPERTY);
    }

    /** Two training steps (forward, backward, a plain gradient step) and an evaluation pass. */
    private static void assertSameTraining(Supplier<ModelSettings<?>> settings, long imageSize) {
        ComposedModel nchw = (ComposedModel) settings.get().optLayout(ActivationLayout.NCHW).build();
        ComposedModel nhwc = (ComposedModel) settings.get().optLayout(ActivationLayout.NHWC).build();
        assertEquals(ActivationLayout.NHWC, nhwc.activationLayout());
        for (int step = 0; step < 2; step++) {
            INDArray images = ModelTesting.normal(20 + step, DataType.FLOAT, 6, 3, imageSize, imageSize);
            INDArray logits = nchw.forward(images, true).dup();
            ModelTesting.assertSameBits(logits, nhwc.forward(images, true), "logits");
            INDArray gradLogits = ModelTesting.normal(30 + step, DataType.FLOAT, logits.shape());
            INDArray gradImages = nchw.backward(gradLogits).dup();
            ModelTesting.assertSameBits(gradImages, nhwc.backward(gradLogits), "image gradient");
            nchw.parameters().forEach((name, parameter) -> {
                ModelTesting.assertSameBits(parameter.gradient(), nhwc.parameters().get(name).gradient(), name + " gradient");
                parameter.value().subi(parameter.gradient().mul(0.05));
                parameter.gradient().assign(0);
                nhwc.parameters().get(name).value().subi(nhwc.parameters().get(name).gradient().mul(0.05));
                nhwc.parameters().get(name).gradient().assign(0);
            });
        }
        Map<String, INDArray> stateNchw = ModelTesting.copyOfState(nchw);
        ModelTesting.copyOfState(nhwc).forEach((name, value) -> ModelTesting.assertSameBits(stateNchw.get(name), value, name));
        INDArray images = ModelTesting.normal(40, DataType.FLOAT, 4, 3, imageSize, imageSize);
        ModelTesting.assertSameBits(nchw.forward(images, false).dup(), nhwc.forward(images, false), "evaluation logits");
    }

    @Test
    void annResNetTrainsIdentically() {
        assertSameTraining(() -> ResNet.builder().optDepth(8).optWidths(16, 32, 64).optSeed(5), 8);
    }

    @ParameterizedTest
    @EnumSource(BlockType.class)
    void spikingResNetTrainsIdentically(BlockType type) {
        assertSameTraining(() -> ResNet.builder().optDepth(8).optWidths(16, 32, 64).optBlockType(type)
                .optSpiking(ModelTesting.idsnnLif(), 2).optSeed(5), 8);
    }

    @ParameterizedTest
    @EnumSource(Pooling2d.Mode.class)
    void vggTrainsIdentically(Pooling2d.Mode pooling) {
        assertSameTraining(() -> Vgg.builder().optWidths(8, 8, 16, 16, 16, 16, 16, 16).optPooling(pooling)
                .optSpiking(ModelTesting.idsnnLif(), 2).optSeed(5), 7);
        assertSameTraining(() -> Vgg.builder().optWidths(8, 8, 16, 16, 16, 16, 16, 16).optPooling(pooling).optSeed(5), 8);
    }

    @Test
    void layoutDefaultsToNhwcForFloatAndNchwOtherwise() {
        assertEquals(ActivationLayout.NHWC, ((ComposedModel) ResNet.builder().optDepth(8).build()).activationLayout());
        assertEquals(ActivationLayout.NCHW, ((ComposedModel) ResNet.builder().optDepth(8)
                .optDataType(DataType.DOUBLE).build()).activationLayout());
        assertEquals(ActivationLayout.NCHW, ((ComposedModel) ResNet.builder().optDepth(8)
                .optActivation((name, channels, type) -> new SoftClipTestActivation(channels, 2.0, type)).build()).activationLayout());
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> ResNet.builder().optDepth(8)
                .optActivation((name, channels, type) -> new SoftClipTestActivation(channels, 2.0, type))
                .optLayout(ActivationLayout.NHWC).build());
        assertTrue(error.getMessage().contains("NCHW"), error.getMessage());
    }

    @Test
    void summaryReportsMapsAsChannelsHeightWidth() {
        ResNet model = ResNet.builder().optDepth(8).optWidths(16, 32, 64).build();
        ModelSummary summary = ModelSummary.of(model, 32, 32);
        ModelSummary.Row conv = summary.layers().get(0);
        assertArrayEquals(new long[] {16, 32, 32}, conv.outputShape(), conv.name());
    }
}
