package io.spikeforge.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.model.Parameter;
import io.spikeforge.engine.layer.Conv2d;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Whole FLOAT NHWC models on oneDNN called directly against the same models on libnd4j's
 * convolutions: a training step's logits and parameter gradients agree within float rounding, on
 * the shapes the per-layer tests do not reach (one input channel, 28x28 maps pooled to odd sizes,
 * odd batches, the last partial batch of an epoch).
 */
class DirectConvolutionModelTest {
    /**
     * Relative to each tensor's largest magnitude. Per layer the two paths differ by about 1e-6
     * (OneDnnConvolutionTest); through a VGG-11 the largest difference seen is 3e-6 of the
     * tensor's scale (a convolution's bias before batch norm measured at its weight's scale).
     */
    private static final double RELATIVE_TOLERANCE = 1e-4;

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertClose(expected, actual, expected.amaxNumber().doubleValue(), what);
    }

    private static void assertClose(INDArray expected, INDArray actual, double scale, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        double difference = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(difference <= RELATIVE_TOLERANCE * scale,
                what + ": largest difference " + difference + " against largest magnitude " + scale);
    }

    private static Model build(Supplier<ModelSettings<?>> settings, boolean direct) {
        System.setProperty(Conv2d.DIRECT_ONEDNN_PROPERTY, Boolean.toString(direct));
        try {
            return settings.get().build();
        } finally {
            System.clearProperty(Conv2d.DIRECT_ONEDNN_PROPERTY);
        }
    }

    private static void assertStepsAgree(Supplier<ModelSettings<?>> settings, long channels, long size, int... batches) {
        Model libnd4j = build(settings, false);
        Model direct = build(settings, true);
        for (int batch : batches) {
            INDArray images = ModelTesting.normal(50 + batch, DataType.FLOAT, batch, channels, size, size);
            System.setProperty(Conv2d.DIRECT_ONEDNN_PROPERTY, "false");
            INDArray expectedLogits;
            try {
                expectedLogits = libnd4j.forward(images, true).dup();
                libnd4j.backward(ModelTesting.normal(60 + batch, DataType.FLOAT, expectedLogits.shape()));
            } finally {
                System.clearProperty(Conv2d.DIRECT_ONEDNN_PROPERTY);
            }
            INDArray logits = direct.forward(images, true);
            assertClose(expectedLogits, logits, "logits, batch " + batch);
            direct.backward(ModelTesting.normal(60 + batch, DataType.FLOAT, logits.shape()));
            Map<String, Parameter> expected = libnd4j.parameters();
            direct.parameters().forEach((name, parameter) -> {
                INDArray reference = expected.get(name).gradient();
                double scale = reference.amaxNumber().doubleValue();
                // a bias at its layer's weight-gradient scale: a convolution's bias before batch norm
                // has a gradient of zero in exact arithmetic, so both paths give rounding noise there
                String weight = name.endsWith(".bias") ? name.substring(0, name.length() - 4) + "weight" : null;
                if (weight != null && expected.containsKey(weight)) {
                    scale = Math.max(scale, expected.get(weight).gradient().amaxNumber().doubleValue());
                }
                assertClose(reference, parameter.gradient(), scale, name + " gradient, batch " + batch);
            });
            direct.parameters().values().forEach(parameter -> parameter.gradient().assign(0));
            expected.values().forEach(parameter -> parameter.gradient().assign(0));
        }
    }

    @Test
    void vgg11OnFashionMnistShapes() {
        assertStepsAgree(() -> Vgg.builder().optDepth(11).optWidths(8, 16, 16, 16, 32, 32, 32, 32)
                .optPooling(Pooling2d.Mode.MAX).optInputChannels(1).optSeed(7), 1, 28, 64, 5, 1);
    }

    @Test
    void spikingResNetWithOddBatches() {
        assertStepsAgree(() -> ResNet.builder().optDepth(8).optWidths(16, 32, 64)
                .optSpiking(ModelTesting.idsnnLif(), 2).optSeed(7), 3, 16, 7, 3);
    }
}
