package io.spikeforge.engine.layer;

import static io.spikeforge.engine.layer.TestTensors.assertClose;
import static io.spikeforge.engine.layer.TestTensors.assertPassed;
import static io.spikeforge.engine.layer.TestTensors.normal;
import static io.spikeforge.engine.layer.TestTensors.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.kernel.HostKernels;
import io.spikeforge.api.kernel.KernelPath;
import io.spikeforge.engine.gradcheck.GradientCheck;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class BatchNorm2dTest {
    private static final double EPS = 1e-5;

    /** Per-channel mean over every axis but the channel axis, computed with loops. */
    private static double[] channelMeans(INDArray x) {
        double[] means = new double[(int) x.size(1)];
        long count = x.length() / x.size(1);
        for (int n = 0; n < x.size(0); n++) {
            for (int c = 0; c < x.size(1); c++) {
                for (int h = 0; h < x.size(2); h++) {
                    for (int w = 0; w < x.size(3); w++) {
                        means[c] += x.getDouble(n, c, h, w) / count;
                    }
                }
            }
        }
        return means;
    }

    /** Per-channel variance with the given divisor offset: 0 biased, 1 unbiased. */
    private static double[] channelVariances(INDArray x, int divisorOffset) {
        double[] means = channelMeans(x);
        double[] variances = new double[means.length];
        long count = x.length() / x.size(1);
        for (int n = 0; n < x.size(0); n++) {
            for (int c = 0; c < x.size(1); c++) {
                for (int h = 0; h < x.size(2); h++) {
                    for (int w = 0; w < x.size(3); w++) {
                        double d = x.getDouble(n, c, h, w) - means[c];
                        variances[c] += d * d / (count - divisorOffset);
                    }
                }
            }
        }
        return variances;
    }

    private static INDArray normalizeByHand(INDArray x, double[] mean, double[] variance, INDArray weight, INDArray bias) {
        INDArray y = Nd4j.create(DataType.DOUBLE, x.shape());
        for (int n = 0; n < x.size(0); n++) {
            for (int c = 0; c < x.size(1); c++) {
                for (int h = 0; h < x.size(2); h++) {
                    for (int w = 0; w < x.size(3); w++) {
                        double normalized = (x.getDouble(n, c, h, w) - mean[c]) / Math.sqrt(variance[c] + EPS);
                        y.putScalar(new long[] {n, c, h, w}, normalized * weight.getDouble(c) + bias.getDouble(c));
                    }
                }
            }
        }
        return y;
    }

    private static INDArray vector(double... values) {
        return Nd4j.create(values, new long[] {values.length}, DataType.DOUBLE);
    }

    @Test
    void standardGradientsMatchFiniteDifferences() {
        BatchNorm2d bn = BatchNorm2d.standard(3, DataType.DOUBLE);
        bn.weight().value().assign(vector(0.7, -1.2, 1.5));
        bn.bias().value().assign(vector(0.1, 0.2, -0.3));
        INDArray x = normal(1, 4, 3, 3, 3).muli(2).addi(1);
        assertPassed(GradientCheck.withDefaults().check(bn, x));
    }

    @Test
    void timeMajorGradientsMatchFiniteDifferences() {
        BatchNorm2d bn = BatchNorm2d.timeMajor(2, 3, 0.5, DataType.DOUBLE);
        bn.bias().value().assign(vector(0.3, -0.1));
        INDArray x = normal(2, 3 * 2, 2, 3, 3).muli(1.5).subi(0.5);
        assertPassed(GradientCheck.withDefaults().check(bn, x));
    }

    @Test
    void trainingNormalizesWithBiasedBatchStatistics() {
        BatchNorm2d bn = BatchNorm2d.standard(3, DataType.DOUBLE);
        bn.weight().value().assign(vector(0.7, -1.2, 1.5));
        bn.bias().value().assign(vector(0.1, 0.2, -0.3));
        INDArray x = normal(3, 2, 3, 4, 4).muli(3).addi(2);
        INDArray expected = normalizeByHand(x, channelMeans(x), channelVariances(x, 0), bn.weight().value(),
                bn.bias().value());
        assertClose(expected, bn.forward(x, true), 1e-10);
    }

    @Test
    void runningStatisticsFollowPyTorchsMomentumUpdate() {
        BatchNorm2d bn = BatchNorm2d.standard(2, DataType.DOUBLE);
        double[] runningMean = {0, 0};
        double[] runningVariance = {1, 1};
        for (int step = 0; step < 3; step++) {
            INDArray x = normal(10 + step, 3, 2, 2, 3).muli(1 + step).addi(step - 1);
            bn.forward(x, true);
            double[] mean = channelMeans(x);
            double[] unbiased = channelVariances(x, 1);
            for (int c = 0; c < 2; c++) {
                runningMean[c] = 0.9 * runningMean[c] + 0.1 * mean[c];
                runningVariance[c] = 0.9 * runningVariance[c] + 0.1 * unbiased[c];
            }
        }
        assertClose(vector(runningMean), bn.runningMean(), 1e-12);
        assertClose(vector(runningVariance), bn.runningVariance(), 1e-12);
    }

    @Test
    void evaluationUsesRunningStatisticsAndLeavesThemAlone() {
        BatchNorm2d bn = BatchNorm2d.standard(2, DataType.DOUBLE);
        bn.buffers().get("running_mean").assign(vector(0.5, -2));
        bn.buffers().get("running_var").assign(vector(4, 0.25));
        bn.weight().value().assign(vector(1.5, 0.5));
        bn.bias().value().assign(vector(-1, 1));
        INDArray x = normal(20, 2, 2, 3, 3);

        INDArray y = bn.forward(x, false);

        assertClose(normalizeByHand(x, new double[] {0.5, -2}, new double[] {4, 0.25}, bn.weight().value(),
                bn.bias().value()), y, 1e-12);
        assertEquals(vector(0.5, -2), bn.runningMean());
        assertEquals(vector(4, 0.25), bn.runningVariance());
        assertThrows(IllegalStateException.class, () -> bn.backward(Nd4j.zeros(DataType.DOUBLE, 2, 2, 3, 3)));
    }

    /** tdBN: one mean and variance per channel over all of T, B, H and W, not per time-step. */
    @Test
    void timeMajorStatisticsSpanTimeBatchAndSpace() {
        int timeSteps = 2;
        BatchNorm2d tdbn = BatchNorm2d.timeMajor(2, timeSteps, 0.5, DataType.DOUBLE);
        INDArray x = normal(30, timeSteps * 3, 2, 2, 2);
        x.get(NDArrayIndex.interval(3, 6)).addi(4); // time-step 1 sits higher

        INDArray y = tdbn.forward(x, true);

        assertClose(normalizeByHand(x, channelMeans(x), channelVariances(x, 0), tdbn.weight().value(),
                tdbn.bias().value()), y, 1e-10);
        // per time-step statistics would center each step; joint statistics keep step 1 above step 0
        double stepZero = y.get(NDArrayIndex.interval(0, 3)).meanNumber().doubleValue();
        double stepOne = y.get(NDArrayIndex.interval(3, 6)).meanNumber().doubleValue();
        assertTrue(stepOne - stepZero > 0.5, "step means " + stepZero + ", " + stepOne);
    }

    @Test
    void timeMajorChecksTheShapeAndStartsFromTheGivenWeight() {
        BatchNorm2d tdbn = BatchNorm2d.timeMajor(3, 4, 0.5, DataType.FLOAT);
        assertEquals(OptionalInt.of(4), tdbn.timeSteps());
        assertEquals(Nd4j.valueArrayOf(new long[] {3}, 0.5, DataType.FLOAT), tdbn.weight().value());
        assertEquals(Nd4j.zeros(DataType.FLOAT, 3), tdbn.bias().value());
        assertThrows(IllegalArgumentException.class, () -> tdbn.forward(Nd4j.ones(DataType.FLOAT, 6, 3, 2, 2), true));
        assertEquals(OptionalInt.empty(), BatchNorm2d.standard(3, DataType.FLOAT).timeSteps());
    }

    @Test
    void stateTensorsCarryPyTorchNames() {
        BatchNorm2d bn = BatchNorm2d.standard(4, DataType.FLOAT);
        assertEquals(List.of("weight", "bias", "running_mean", "running_var"), List.copyOf(bn.stateTensors().keySet()));
        assertEquals(Nd4j.ones(DataType.FLOAT, 4), bn.stateTensors().get("running_var"));
    }

    /**
     * Float runs the fused Java kernel ({@code FloatBatchNormKernel}: float sums per position, double
     * across them), double the op-by-op path that the finite-difference tests check: both must
     * agree, in training and evaluation, for map sizes that do and do not fill the kernel's unrolled
     * loops, and with more channels than threads.
     */
    @ParameterizedTest
    @CsvSource({"4, 8, 4, 4", "3, 5, 5, 3", "2, 3, 1, 1", "6, 2, 7, 9"})
    void floatPathAgreesWithTheDoublePath(int samples, int channels, int height, int width) {
        BatchNorm2d reference = BatchNorm2d.standard(channels, DataType.DOUBLE);
        BatchNorm2d fast = BatchNorm2d.standard(channels, DataType.FLOAT);
        INDArray weight = uniform(40, 0.5, 1.5, channels);
        INDArray bias = normal(41, channels);
        reference.weight().value().assign(weight);
        reference.bias().value().assign(bias);
        fast.weight().value().assign(weight);
        fast.bias().value().assign(bias);
        INDArray x = normal(42, samples, channels, height, width).muli(2).addi(1);
        INDArray gradOutput = normal(43, samples, channels, height, width);

        assertClose(reference.forward(x, true), fast.forward(x.castTo(DataType.FLOAT), true), 1e-5);
        assertClose(reference.backward(gradOutput), fast.backward(gradOutput.castTo(DataType.FLOAT)), 1e-4);
        assertClose(reference.weight().gradient(), fast.weight().gradient(), 1e-4);
        assertClose(reference.bias().gradient(), fast.bias().gradient(), 1e-4);
        assertClose(reference.runningMean(), fast.runningMean(), 1e-6);
        assertClose(reference.runningVariance(), fast.runningVariance(), 1e-5);
        assertClose(reference.forward(x, false), fast.forward(x.castTo(DataType.FLOAT), false), 1e-5);
    }

    @Test
    void thePathIsSelectedByBackendAndDataType() {
        assertEquals(KernelPath.HOST_FLOAT, BatchNorm2d.standard(3, DataType.FLOAT).kernelPath());
        assertEquals(KernelPath.ND4J_OPS, BatchNorm2d.standard(3, DataType.DOUBLE).kernelPath());
        assertEquals(KernelPath.HOST_FLOAT, BatchNorm2d.timeMajor(3, 2, 0.5, DataType.FLOAT).kernelPath());
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            assertEquals(KernelPath.ND4J_OPS, new BatchNorm2d(3, 0, 1.0, type, ActivationLayout.NCHW, false).kernelPath(),
                    type + " on a backend without host memory (CUDA)");
        }
    }

    /**
     * The two implementations on the same FLOAT numbers: a layer built as for a backend without host
     * memory computes on the ops, and agrees with the host kernel to float rounding in every pass.
     */
    @Test
    void onABackendWithoutHostMemoryFloatTakesTheOpsWithTheSameResults() {
        int channels = 5;
        BatchNorm2d host = BatchNorm2d.standard(channels, DataType.FLOAT);
        BatchNorm2d device = new BatchNorm2d(channels, 0, 1.0, DataType.FLOAT, ActivationLayout.NCHW, false);
        INDArray weight = uniform(46, 0.5, 1.5, channels).castTo(DataType.FLOAT);
        INDArray bias = normal(47, channels).castTo(DataType.FLOAT);
        for (BatchNorm2d bn : List.of(host, device)) {
            bn.weight().value().assign(weight);
            bn.bias().value().assign(bias);
        }
        INDArray x = normal(48, 4, channels, 6, 7).muli(3).addi(2).castTo(DataType.FLOAT);
        INDArray gradOutput = normal(49, 4, channels, 6, 7).castTo(DataType.FLOAT);

        assertClose(host.forward(x, true), device.forward(x, true), 1e-5);
        assertClose(host.backward(gradOutput), device.backward(gradOutput), 1e-4);
        assertClose(host.weight().gradient(), device.weight().gradient(), 1e-4);
        assertClose(host.bias().gradient(), device.bias().gradient(), 1e-4);
        assertClose(host.runningMean(), device.runningMean(), 1e-6);
        assertClose(host.runningVariance(), device.runningVariance(), 1e-5);
        assertClose(host.forward(x, false), device.forward(x, false), 1e-5);
    }

    /** A float input that is not dense (a permuted view) takes the op-by-op path, with the same results. */
    @Test
    void floatViewsTakeTheOpPathWithTheSameResults() {
        INDArray x = normal(44, 3, 4, 5, 6).castTo(DataType.FLOAT);
        INDArray gradOutput = normal(45, 3, 4, 5, 6).castTo(DataType.FLOAT);
        INDArray view = x.permute(0, 1, 3, 2).dup('c').permute(0, 1, 3, 2);
        assertFalse(HostKernels.isDense(view));
        BatchNorm2d dense = BatchNorm2d.standard(4, DataType.FLOAT);
        BatchNorm2d strided = BatchNorm2d.standard(4, DataType.FLOAT);
        assertClose(dense.forward(x, true).castTo(DataType.DOUBLE), strided.forward(view, true).castTo(DataType.DOUBLE), 1e-6);
        assertClose(dense.backward(gradOutput).castTo(DataType.DOUBLE),
                strided.backward(gradOutput).castTo(DataType.DOUBLE), 1e-5);
        assertClose(dense.weight().gradient(), strided.weight().gradient(), 1e-4);
    }

    /**
     * A channel far from zero: the variance from E[x^2] - mean^2 in float would be off by about
     * mean^2 * 6e-8 = 6% here; the centered two-pass variance is exact to float rounding.
     */
    @Test
    void floatVarianceOfAnOffsetChannelKeepsItsPrecision() {
        BatchNorm2d bn = BatchNorm2d.standard(2, DataType.FLOAT);
        INDArray x = normal(50, 16, 2, 8, 8).addi(1000);
        INDArray y = bn.forward(x.castTo(DataType.FLOAT), true);
        INDArray expected = normalizeByHand(x, channelMeans(x), channelVariances(x, 0), vector(1, 1), vector(0, 0));
        assertClose(expected, y.castTo(DataType.DOUBLE), 1e-3);
    }

    @Test
    void oneValuePerChannelIsRefusedInTraining() {
        BatchNorm2d bn = BatchNorm2d.standard(2, DataType.DOUBLE);
        assertThrows(IllegalArgumentException.class, () -> bn.forward(Nd4j.ones(DataType.DOUBLE, 1, 2, 1, 1), true));
    }
}
