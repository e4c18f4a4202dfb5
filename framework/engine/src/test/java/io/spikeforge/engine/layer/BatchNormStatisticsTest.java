package io.spikeforge.engine.layer;

import static io.spikeforge.engine.layer.TestTensors.normal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The float kernels' blocked training statistics ({@link RowBlocks}) against a double-precision
 * reference, on shapes that exercise the blocks: one row, a last block shorter than the others, one
 * channel, one block of many channels, and values far from zero, where {@code E[x^2] - E[x]^2} in
 * float loses every digit of the variance. Both layouts must give the same bits, and so must any
 * split of the work over threads.
 */
class BatchNormStatisticsTest {
    private static final ChannelsLastFloatBatchNormKernel NHWC = new ChannelsLastFloatBatchNormKernel();
    private static final FloatBatchNormKernel NCHW = new FloatBatchNormKernel();

    /** Mean and biased variance per channel of an NCHW tensor, two-pass in double. */
    private static double[][] reference(INDArray nchw) {
        int samples = (int) nchw.size(0);
        int channels = (int) nchw.size(1);
        int spatial = (int) (nchw.size(2) * nchw.size(3));
        double[] values = nchw.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] mean = new double[channels];
        double[] variance = new double[channels];
        for (int c = 0; c < channels; c++) {
            for (int n = 0; n < samples; n++) {
                for (int s = 0; s < spatial; s++) {
                    mean[c] += values[(n * channels + c) * spatial + s];
                }
            }
            mean[c] /= (double) samples * spatial;
            for (int n = 0; n < samples; n++) {
                for (int s = 0; s < spatial; s++) {
                    double d = values[(n * channels + c) * spatial + s] - mean[c];
                    variance[c] += d * d;
                }
            }
            variance[c] /= (double) samples * spatial;
        }
        return new double[][] {mean, variance};
    }

    /**
     * {@code rows per block} in the comments is {@link RowBlocks#rows()} for the shape, so the cases
     * keep testing what they say only while the block size stays as it is: the first assertion
     * checks that.
     */
    @ParameterizedTest
    @CsvSource({
        // N, C, H, W, offset, rows per block, blocks
        "1, 3, 5, 7, 0, 1, 1", // one row
        "1, 2, 300, 300, 10000, 1, 1", // one row larger than a block
        "12, 3, 128, 128, 0, 5, 3", // blocks of 5, 5, 2 rows
        "10, 1, 200, 200, 10000, 6, 2", // one channel, blocks of 6, 4 rows, far from zero
        "300, 64, 4, 4, -10000, 256, 2", // many channels, blocks of 256, 44 rows
        "7, 5, 3, 3, 10000, 7, 1", // a single block far from zero, maps of 9 positions (not whole lanes)
    })
    void blockedStatisticsMatchDoubleAndDoNotDependOnLayoutOrThreads(int samples, int channels, int height, int width,
            double offset, int rowsPerBlock, int blockCount) {
        RowBlocks blocks = new RowBlocks(samples, height * width, channels);
        assertEquals(rowsPerBlock, blocks.rows(), "rows per block");
        assertEquals(blockCount, blocks.count(), "blocks");
        INDArray nchw = normal(60 + samples, samples, channels, height, width).addi(offset).castTo(DataType.FLOAT);
        INDArray nhwc = nchw.permute(ActivationLayout.NHWC.fromNchw()).dup('c');
        double[][] expected = reference(nchw);

        double[] mean = new double[channels];
        double[] variance = new double[channels];
        NHWC.statistics(nhwc, mean, variance, 1);
        for (int c = 0; c < channels; c++) {
            double meanError = Math.abs(mean[c] - expected[0][c]);
            assertTrue(meanError <= 1e-7 * Math.max(1, Math.abs(expected[0][c])),
                    "channel " + c + " mean " + mean[c] + " vs " + expected[0][c]);
            double varianceError = Math.abs(variance[c] - expected[1][c]);
            assertTrue(varianceError <= 1e-6 * expected[1][c],
                    "channel " + c + " variance " + variance[c] + " vs " + expected[1][c]);
        }
        for (int parts : new int[] {1, 2, 3}) {
            double[] nhwcMean = new double[channels];
            double[] nhwcVariance = new double[channels];
            NHWC.statistics(nhwc, nhwcMean, nhwcVariance, parts);
            assertArrayEquals(mean, nhwcMean, 0, "NHWC mean in " + parts + " parts");
            assertArrayEquals(variance, nhwcVariance, 0, "NHWC variance in " + parts + " parts");
            double[] nchwMean = new double[channels];
            double[] nchwVariance = new double[channels];
            NCHW.statistics(nchw, nchwMean, nchwVariance, parts);
            assertArrayEquals(mean, nchwMean, 0, "NCHW mean in " + parts + " parts");
            assertArrayEquals(variance, nchwVariance, 0, "NCHW variance in " + parts + " parts");
        }
    }
}
