package io.spikeforge.engine.layer;

import static io.spikeforge.engine.layer.TestTensors.assertClose;
import static io.spikeforge.engine.layer.TestTensors.assertPassed;
import static io.spikeforge.engine.layer.TestTensors.normal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.model.StateDict;
import io.spikeforge.engine.gradcheck.GradientCheck;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class Conv2dTest {
    /** Direct definition of PyTorch's convolution: weight [out, in, kH, kW], zero padding, NCHW. */
    private static INDArray naiveConvolution(INDArray x, INDArray weight, INDArray bias, int stride, int padding) {
        long batch = x.size(0);
        long inChannels = x.size(1);
        long height = x.size(2);
        long width = x.size(3);
        long outChannels = weight.size(0);
        long kernel = weight.size(2);
        long outHeight = (height + 2 * padding - kernel) / stride + 1;
        long outWidth = (width + 2 * padding - kernel) / stride + 1;
        INDArray y = Nd4j.zeros(DataType.DOUBLE, batch, outChannels, outHeight, outWidth);
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < outChannels; o++) {
                for (int i = 0; i < outHeight; i++) {
                    for (int j = 0; j < outWidth; j++) {
                        double sum = bias == null ? 0 : bias.getDouble(o);
                        for (int c = 0; c < inChannels; c++) {
                            for (int u = 0; u < kernel; u++) {
                                for (int v = 0; v < kernel; v++) {
                                    long row = (long) i * stride - padding + u;
                                    long column = (long) j * stride - padding + v;
                                    if (row >= 0 && row < height && column >= 0 && column < width) {
                                        sum += x.getDouble(n, c, row, column) * weight.getDouble(o, c, u, v);
                                    }
                                }
                            }
                        }
                        y.putScalar(new long[] {n, o, i, j}, sum);
                    }
                }
            }
        }
        return y;
    }

    @ParameterizedTest(name = "kernel {0}, stride {1}, padding {2}, bias {3}")
    @CsvSource({"3, 1, 0, true", "3, 1, 1, false", "3, 2, 1, true", "3, 2, 0, false", "1, 2, 0, false"})
    void gradientsMatchFiniteDifferences(int kernel, int stride, int padding, boolean bias) {
        Nd4j.getRandom().setSeed(11);
        Conv2d conv = new Conv2d(2, 3, kernel, stride, padding, bias, DataType.DOUBLE);
        assertPassed(GradientCheck.withDefaults().check(conv, normal(1, 2, 2, 5, 5)));
    }

    /** Batches above 64 samples go through conv2d_bp in chunks; the gradients are those of the whole batch. */
    @Test
    void gradientsOfABatchSplitIntoChunksMatchFiniteDifferences() {
        Nd4j.getRandom().setSeed(12);
        Conv2d conv = new Conv2d(2, 2, 3, 1, 1, true, DataType.DOUBLE);
        assertPassed(GradientCheck.withDefaults().check(conv, normal(2, 131, 2, 3, 3)));
    }

    @Test
    void forwardMatchesTheDefinitionWithStrideAndPadding() {
        Nd4j.getRandom().setSeed(12);
        Conv2d conv = new Conv2d(3, 4, 3, 2, 1, true, DataType.DOUBLE);
        INDArray x = normal(2, 2, 3, 7, 7);
        INDArray y = conv.forward(x, false);
        assertArrayEquals(new long[] {2, 4, 4, 4}, y.shape());
        assertClose(naiveConvolution(x, conv.weight().value(), conv.bias().orElseThrow().value(), 2, 1), y, 1e-12);
    }

    /** Batches above 32 samples go through conv2d in chunks, unequal ones here (70 = 23 + 23 + 24). */
    @Test
    void forwardOfABatchSplitIntoChunksMatchesTheDefinition() {
        Nd4j.getRandom().setSeed(15);
        Conv2d conv = new Conv2d(2, 3, 3, 2, 1, true, DataType.DOUBLE);
        INDArray x = normal(6, 70, 2, 5, 5);
        INDArray y = conv.forward(x, false);
        assertArrayEquals(new long[] {70, 3, 3, 3}, y.shape());
        assertClose(naiveConvolution(x, conv.weight().value(), conv.bias().orElseThrow().value(), 2, 1), y, 1e-12);
    }

    @Test
    void weightIsStoredInPyTorchLayout() {
        Conv2d conv = new Conv2d(3, 5, 3, 1, 1, false, DataType.FLOAT);
        assertArrayEquals(new long[] {5, 3, 3, 3}, conv.weight().value().shape());
        assertEquals(List.of("weight"), List.copyOf(conv.stateTensors().keySet()));
        assertTrue(conv.bias().isEmpty());
    }

    @Test
    void writingThroughTheStateDictChangesTheForward() {
        Nd4j.getRandom().setSeed(13);
        Conv2d conv = new Conv2d(2, 3, 3, 1, 1, true, DataType.DOUBLE);
        StateDict state = StateDict.of(conv.stateTensors());
        assertEquals("[3, 2, 3, 3]", state.shapeOf("weight"));
        assertEquals("[3]", state.shapeOf("bias"));

        INDArray x = normal(3, 1, 2, 5, 5);
        INDArray before = conv.forward(x, false).dup();
        INDArray newWeight = normal(4, 3, 2, 3, 3);
        INDArray newBias = normal(5, 3);
        state.get("weight").assign(newWeight);
        state.get("bias").assign(newBias);

        INDArray after = conv.forward(x, false);
        assertNotEquals(before, after);
        assertClose(naiveConvolution(x, newWeight, newBias, 1, 1), after, 1e-12);
        assertEquals(newWeight, StateDict.of(conv.stateTensors()).get("weight"));
        assertSame(conv.weight().value(), state.get("weight"));
    }

    /** Float runs through oneDNN, double through libnd4j's own kernels: both must agree. */
    @Test
    void floatOneDnnPathAgreesWithTheDoublePath() {
        Nd4j.getRandom().setSeed(14);
        Conv2d reference = new Conv2d(8, 8, 3, 2, 1, true, DataType.DOUBLE);
        Conv2d fast = new Conv2d(8, 8, 3, 2, 1, true, DataType.FLOAT);
        fast.weight().value().assign(reference.weight().value());
        fast.bias().orElseThrow().value().assign(reference.bias().orElseThrow().value());
        INDArray x = normal(6, 4, 8, 8, 8);
        INDArray gradOutput = normal(7, 4, 8, 4, 4);

        assertClose(reference.forward(x, true), fast.forward(x.castTo(DataType.FLOAT), true), 1e-5);
        assertClose(reference.backward(gradOutput), fast.backward(gradOutput.castTo(DataType.FLOAT)), 1e-5);
        assertClose(reference.weight().gradient(), fast.weight().gradient(), 1e-4);
        assertClose(reference.bias().orElseThrow().gradient(), fast.bias().orElseThrow().gradient(), 1e-4);
    }

    @Test
    void parameterGradientsAccumulateOverBackwardCalls() {
        Nd4j.getRandom().setSeed(15);
        Conv2d conv = new Conv2d(2, 3, 3, 1, 1, true, DataType.DOUBLE);
        INDArray x = normal(8, 2, 2, 4, 4);
        INDArray gradOutput = normal(9, 2, 3, 4, 4);
        conv.forward(x, true);
        conv.backward(gradOutput);
        INDArray once = conv.weight().gradient().dup();
        conv.backward(gradOutput);
        assertClose(once.mul(2), conv.weight().gradient(), 1e-12);
        conv.weight().zeroGradient();
        assertEquals(0.0, conv.weight().gradient().amaxNumber().doubleValue());
    }

    @Test
    void backwardNeedsATrainingForward() {
        Conv2d conv = new Conv2d(2, 3, 3, 1, 1, false, DataType.DOUBLE);
        INDArray x = normal(10, 1, 2, 4, 4);
        assertThrows(IllegalStateException.class, () -> conv.backward(Nd4j.zeros(DataType.DOUBLE, 1, 3, 4, 4)));
        conv.forward(x, false);
        assertThrows(IllegalStateException.class, () -> conv.backward(Nd4j.zeros(DataType.DOUBLE, 1, 3, 4, 4)));
    }

    @Test
    void wrongInputsAreRejected() {
        Conv2d conv = new Conv2d(2, 3, 3, 1, 0, false, DataType.DOUBLE);
        assertThrows(IllegalArgumentException.class, () -> conv.forward(normal(1, 1, 4, 5, 5), true));
        assertThrows(IllegalArgumentException.class, () -> conv.forward(Nd4j.zeros(DataType.FLOAT, 1, 2, 5, 5), true));
        assertThrows(IllegalArgumentException.class, () -> conv.forward(normal(1, 1, 2, 2, 2), true));
    }
}
