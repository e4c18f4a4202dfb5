package io.spikeforge.engine.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spikeforge.api.kernel.KernelPath;
import io.spikeforge.api.model.Parameter;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every layer that knows the layout gives in NHWC exactly its NCHW result, permuted: forward,
 * input gradient and parameter gradients, bit for bit where the arithmetic is the same (oneDNN and
 * libnd4j run the same kernels on the same values; the float batch-norm kernels keep one order of
 * float operations in both layouts). Batch norm in double (the ops) sums the maps per channel with
 * BLAS in NCHW and with a reduction in NHWC, so there the layouts agree to rounding.
 */
class ActivationLayoutEquivalenceTest {
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

    private static INDArray toNhwc(INDArray nchw) {
        return nchw.permute(ActivationLayout.NHWC.fromNchw()).dup('c');
    }

    private static INDArray toNchw(INDArray nhwc) {
        return nhwc.permute(ActivationLayout.NHWC.toNchw()).dup('c');
    }

    private static void assertSameBits(INDArray expected, INDArray actual, String what) {
        assertSame(expected, actual, what, 0);
    }

    /** Bit for bit when {@code tolerance} is 0, else within it relative to max(1, |expected|). */
    private static void assertSame(INDArray expected, INDArray actual, String what, double tolerance) {
        if (tolerance > 0) {
            TestTensors.assertClose(expected, actual, tolerance);
            return;
        }
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        assertEquals(expected.dataType(), actual.dataType(), what + " type");
        double[] e = expected.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] a = actual.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        for (int i = 0; i < e.length; i++) {
            if (Double.doubleToLongBits(e[i]) != Double.doubleToLongBits(a[i])) {
                throw new AssertionError(what + " differs at " + i + ": " + e[i] + " vs " + a[i]);
            }
        }
    }

    /** Runs forward (training), backward and checks the NHWC layer against the NCHW one. */
    private static void assertEquivalent(Layer nchw, Layer nhwc, INDArray input, long seed) {
        assertEquivalent(nchw, nhwc, input, seed, 0);
    }

    private static void assertEquivalent(Layer nchw, Layer nhwc, INDArray input, long seed, double tolerance) {
        INDArray outputNchw = nchw.forward(input, true).dup();
        INDArray outputNhwc = nhwc.forward(toNhwc(input), true).dup();
        assertSame(outputNchw, outputNchw.rank() == 4 ? toNchw(outputNhwc) : outputNhwc, "output", tolerance);
        INDArray gradOutput = TestTensors.normal(seed, outputNchw.shape()).castTo(input.dataType());
        INDArray gradNchw = nchw.backward(gradOutput).dup();
        INDArray gradNhwc = nhwc.backward(gradOutput.rank() == 4 ? toNhwc(gradOutput) : gradOutput).dup();
        assertSame(gradNchw, toNchw(gradNhwc), "input gradient", tolerance);
        List<Parameter> expected = nchw.parameters();
        List<Parameter> actual = nhwc.parameters();
        for (int p = 0; p < expected.size(); p++) {
            assertSame(expected.get(p).gradient(), actual.get(p).gradient(), expected.get(p).name() + " gradient",
                    tolerance);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void convolutionsAgree(DataType type) {
        int[][] shapes = {{3, 16, 3, 1}, {16, 16, 3, 1}, {16, 32, 3, 2}, {16, 32, 1, 2}, {8, 8, 3, 1}};
        for (int[] s : shapes) {
            Function<ActivationLayout, Conv2d> make = layout -> {
                Conv2d conv = new Conv2d(s[0], s[1], s[2], s[3], s[2] / 2, s[0] == 8, type, layout);
                conv.weight().value().assign(TestTensors.normal(7, conv.weight().value().shape()));
                conv.bias().ifPresent(b -> b.value().assign(TestTensors.normal(8, s[1])));
                return conv;
            };
            // 70 samples: several forward and backward chunks of unequal size
            INDArray input = TestTensors.normal(s[1], 70, s[0], 9, 9).castTo(type);
            assertEquivalent(make.apply(ActivationLayout.NCHW), make.apply(ActivationLayout.NHWC), input, 11);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void batchNormAgreesInFloatBitForBit(int timeSteps) {
        assertBatchNormEquivalent(DataType.FLOAT, timeSteps);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void batchNormAgreesInDouble(int timeSteps) {
        assertBatchNormEquivalent(DataType.DOUBLE, timeSteps);
    }

    private static void assertBatchNormEquivalent(DataType type, int timeSteps) {
        double tolerance = type == DataType.DOUBLE ? 1e-12 : 0;
        int channels = 24;
        Function<ActivationLayout, BatchNorm2d> make = layout -> {
            BatchNorm2d bn = timeSteps > 0 ? BatchNorm2d.timeMajor(channels, timeSteps, 0.5, type, layout)
                    : BatchNorm2d.standard(channels, type, layout);
            bn.weight().value().assign(TestTensors.uniform(3, 0.5, 1.5, channels));
            bn.bias().value().assign(TestTensors.normal(4, channels));
            return bn;
        };
        BatchNorm2d nchw = make.apply(ActivationLayout.NCHW);
        BatchNorm2d nhwc = make.apply(ActivationLayout.NHWC);
        assertEquals(nchw.kernelPath(), nhwc.kernelPath());
        assertEquals(type == DataType.FLOAT ? KernelPath.HOST_FLOAT : KernelPath.ND4J_OPS, nhwc.kernelPath());
        // an offset per channel, so that centering matters; 10x10 maps: positions not a multiple of a vector
        INDArray input = TestTensors.normal(5, 6, channels, 10, 10).addi(3).castTo(type);
        for (int step = 0; step < 2; step++) {
            assertEquivalent(nchw, nhwc, input, 12 + step, tolerance);
        }
        assertSame(nchw.runningMean(), nhwc.runningMean(), "running mean", tolerance);
        assertSame(nchw.runningVariance(), nhwc.runningVariance(), "running variance", tolerance);
        INDArray evalNchw = nchw.forward(input, false).dup();
        assertSame(evalNchw, toNchw(nhwc.forward(toNhwc(input), false)), "evaluation output", tolerance);
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void globalAveragePoolingAgrees(DataType type) {
        INDArray input = TestTensors.normal(6, 10, 64, 8, 8).castTo(type);
        assertEquivalent(new GlobalAvgPool2d(type, ActivationLayout.NCHW), new GlobalAvgPool2d(type, ActivationLayout.NHWC),
                input, 13);
    }
}
