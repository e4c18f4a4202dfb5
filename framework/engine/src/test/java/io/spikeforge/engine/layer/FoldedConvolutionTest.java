package io.spikeforge.engine.layer;

import static io.spikeforge.engine.layer.TestTensors.assertClose;
import static io.spikeforge.engine.layer.TestTensors.normal;
import static io.spikeforge.engine.layer.TestTensors.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The folded convolution computes the convolution's and the batch norm's evaluation forwards,
 * within rounding, and leaves both layers' parameters as they are.
 */
class FoldedConvolutionTest {
    @ParameterizedTest(name = "{0} {1} kernel {2} stride {3} padding {4} conv bias {5} batch norm {6}")
    @CsvSource({
        "DOUBLE, NCHW, 3, 1, 1, false, true",
        "DOUBLE, NCHW, 1, 2, 0, true, true",
        "DOUBLE, NCHW, 3, 1, 1, true, false",
        "FLOAT, NHWC, 3, 1, 1, false, true", // oneDNN called directly, with the bias in the primitive
        "FLOAT, NHWC, 3, 2, 1, true, true",
        "FLOAT, NHWC, 1, 2, 0, false, true",
        "FLOAT, NCHW, 3, 1, 1, false, true", // libnd4j's conv2d with a bias input
    })
    void equalsTheConvolutionThenTheBatchNorm(DataType type, ActivationLayout layout, int kernel, int stride,
            int padding, boolean convolutionBias, boolean withBatchNorm) {
        Conv2d convolution = new Conv2d(4, 6, kernel, stride, padding, convolutionBias, type, layout);
        BatchNorm2d batchNorm = withBatchNorm ? BatchNorm2d.standard(6, type, layout) : null;
        if (batchNorm != null) {
            // statistics and affine parameters far from the identity
            batchNorm.weight().value().assign(uniform(1, 0.5, 2, 6).castTo(type));
            batchNorm.bias().value().assign(normal(2, 6).castTo(type));
            batchNorm.runningMean().assign(normal(3, 6).castTo(type));
            batchNorm.runningVariance().assign(uniform(4, 0.1, 3, 6).castTo(type));
        }
        INDArray input = normal(5, 3, 4, 8, 8).permute(layout.fromNchw()).castTo(type).dup('c');
        INDArray expected = convolution.forward(input, false).dup();
        if (batchNorm != null) {
            expected = batchNorm.forward(expected, false).dup();
        }
        INDArray weightBefore = convolution.weight().value().dup();
        INDArray gammaBefore = batchNorm == null ? null : batchNorm.weight().value().dup();
        FoldedConvolution folded = new FoldedConvolution(convolution, batchNorm);
        INDArray output = Nd4j.createUninitialized(type, folded.outputShape(input.shape()));
        assertSame(output, folded.forward(input, output));
        assertArrayEquals(expected.shape(), output.shape());
        assertClose(expected, output, type == DataType.DOUBLE ? 1e-12 : 2e-5);
        assertEquals(weightBefore, convolution.weight().value(), "the convolution's weight is unchanged");
        if (batchNorm != null) {
            assertEquals(gammaBefore, batchNorm.weight().value(), "the batch norm's weight is unchanged");
        }
    }

    /** On oneDNN (FLOAT NHWC) the weights laid out for the primitive at the first call must be laid out again. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"DOUBLE, NCHW", "FLOAT, NHWC"})
    void refreshTakesChangedParameters(DataType type, ActivationLayout layout) {
        Conv2d convolution = new Conv2d(2, 3, 3, 1, 1, false, type, layout);
        BatchNorm2d batchNorm = BatchNorm2d.standard(3, type, layout);
        FoldedConvolution folded = new FoldedConvolution(convolution, batchNorm);
        INDArray input = normal(8, 2, 2, 5, 5).permute(layout.fromNchw()).castTo(type).dup('c');
        INDArray output = Nd4j.createUninitialized(type, folded.outputShape(input.shape()));
        INDArray before = folded.forward(input, output).dup();
        batchNorm.runningMean().assign(normal(7, 3).castTo(type));
        convolution.weight().value().muli(2);
        INDArray unrefreshed = folded.forward(input, output).dup();
        assertEquals(before, unrefreshed, "the folded parameters are those of the last refresh");
        folded.refresh();
        INDArray expected = batchNorm.forward(convolution.forward(input, false), false).dup();
        assertClose(expected, folded.forward(input, output), type == DataType.DOUBLE ? 1e-12 : 2e-5);
    }

    @Test
    void aBatchNormOfOtherChannelsIsRefused() {
        Conv2d convolution = new Conv2d(2, 3, 3, 1, 1, false, DataType.DOUBLE);
        assertThrows(IllegalArgumentException.class,
                () -> new FoldedConvolution(convolution, BatchNorm2d.standard(4, DataType.DOUBLE)));
    }
}
