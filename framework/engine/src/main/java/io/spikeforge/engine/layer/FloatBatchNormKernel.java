package io.spikeforge.engine.layer;

import io.spikeforge.api.kernel.HostKernels;
import io.spikeforge.api.kernel.KernelPath;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link BatchNorm2d}'s passes over dense FLOAT {@code [N, C, H, W]} tensors in host memory as
 * Java loops ({@link KernelPath#HOST_FLOAT}), one channel at a time and channels split over the
 * host's threads. Stateless apart from per-thread scratch arrays.
 *
 * <p>A channel's values are N rows of S = H*W contiguous floats. They are bulk-copied into a heap
 * array of the thread (a channel of [128, 16, 32, 32] is 512 KB, so it stays in the cache), every
 * pass runs on that array, and the result is copied out: loops over heap arrays are vectorized by
 * the JIT, loops over the NIO view are not. Per channel the forward makes three passes (sum,
 * centered squares, affine output) and the backward two (sums of dy and dy*x, then dx), where the
 * op-by-op path made five and seven passes over the whole tensor. The statistics follow
 * {@link RowBlocks} (blocks of rows, each summed and then centered; the blocks combined in double),
 * the arithmetic of {@link ChannelsLastFloatBatchNormKernel}, so both layouts give the same bits.
 * The backward's sums are taken in float per spatial position over the N rows (element-wise, so
 * vectorized), and those S sums are added in double. Per-channel coefficients are computed in
 * double and applied in float. A channel's result does not depend on the thread split.
 */
final class FloatBatchNormKernel implements BatchNormKernel {
    @Override
    public KernelPath path() {
        return KernelPath.HOST_FLOAT;
    }

    @Override
    public void affine(INDArray x, INDArray y, double[] scale, double[] shift) {
        affineForward(HostKernels.floats(x), HostKernels.floats(y), Layout.of(x.shape()), scale, shift);
    }

    @Override
    public void trainForward(INDArray x, INDArray y, double[] gamma, double[] beta, double[] mean,
            double[] variance) {
        trainForward(HostKernels.floats(x), HostKernels.floats(y), Layout.of(x.shape()), gamma, beta,
                BatchNorm2d.EPSILON, mean, variance);
    }

    @Override
    public void backward(INDArray x, INDArray dy, INDArray dx, double[] gamma, double[] mean, double[] inverseStd,
            double[] weightGradient, double[] biasGradient) {
        backward(HostKernels.floats(x), HostKernels.floats(dy), HostKernels.floats(dx), Layout.of(x.shape()), gamma,
                mean, inverseStd, weightGradient, biasGradient);
    }

    /** What one pass needs about the tensor's layout. */
    private record Layout(int samples, int channels, int spatial) {
        static Layout of(long[] shape) {
            return new Layout((int) shape[0], (int) shape[1], (int) (shape[2] * shape[3]));
        }

        int rowStart(int sample, int channel) {
            return (sample * channels + channel) * spatial;
        }

        long valuesPerChannel() {
            return (long) samples * spatial;
        }

        /** N*S, which fits an int since the whole tensor does. */
        int channelValues() {
            return samples * spatial;
        }
    }

    /**
     * Training-mode forward: per channel the batch mean and biased variance into {@code mean} and
     * {@code variance}, then {@code y = x * a + b} with {@code a = gamma / sqrt(var + eps)},
     * {@code b = beta - mean * a}.
     */
    private static void trainForward(FloatBuffer x, FloatBuffer y, Layout layout, double[] gamma, double[] beta,
            double epsilon, double[] mean, double[] variance) {
        HostKernels.forRanges(layout.channels(), 1, (from, to) -> {
            Scratch scratch = Scratch.of(layout);
            float[] values = scratch.first;
            for (int c = from; c < to; c++) {
                gather(x, layout, c, values);
                statistics(values, layout, scratch, mean, variance, c);
                double a = gamma[c] / Math.sqrt(variance[c] + epsilon);
                affineInPlace(values, layout.channelValues(), (float) a, (float) (beta[c] - mean[c] * a));
                scatter(values, layout, c, y);
            }
        });
    }

    /**
     * Per channel the batch mean and biased variance of {@code x} into {@code mean} and
     * {@code variance}, the channels split into at most {@code parts} parts of work: a test hook for
     * the statistics of {@link #trainForward}, whose numbers must not depend on {@code parts}.
     */
    void statistics(INDArray x, double[] mean, double[] variance, int parts) {
        FloatBuffer input = HostKernels.floats(x);
        Layout layout = Layout.of(x.shape());
        HostKernels.forRanges(layout.channels(), 1, parts, (from, to) -> {
            Scratch scratch = Scratch.of(layout);
            for (int c = from; c < to; c++) {
                gather(input, layout, c, scratch.first);
                statistics(scratch.first, layout, scratch, mean, variance, c);
            }
        });
    }

    /**
     * Channel {@code c}'s batch mean and biased variance from its heap copy {@code values}, with
     * {@link RowBlocks}' arithmetic (the NHWC kernel's, one channel at a time): per block of rows,
     * the float sums per position, then the deviations from their mean and their squares.
     */
    private static void statistics(float[] values, Layout layout, Scratch scratch, double[] mean, double[] variance,
            int c) {
        RowBlocks blocks = new RowBlocks(layout.samples(), layout.spatial(), layout.channels());
        int spatial = layout.spatial();
        float[] columns = scratch.columns;
        // each row copied to an array of its own first: C2 vectorizes sums[j] += row[j], hardly
        // sums[j] += values[row + j] (tools/kernel-bench/OffsetIndex.java); the copy is in the cache
        float[] rowCopy = scratch.row;
        double[] blockMeans = scratch.blockMeans;
        double[] blockSquares = scratch.blockSquares;
        for (int block = 0; block < blocks.count(); block++) {
            int start = blocks.firstRow(block) * spatial;
            int end = start + blocks.rowsOf(block) * spatial;
            long count = (long) blocks.rowsOf(block) * spatial;
            Arrays.fill(columns, 0, spatial, 0f);
            for (int row = start; row < end; row += spatial) {
                System.arraycopy(values, row, rowCopy, 0, spatial);
                for (int j = 0; j < spatial; j++) {
                    columns[j] += rowCopy[j];
                }
            }
            RowBlocks.sumPositions(columns, spatial, 1, scratch.lanes, blockMeans, block);
            float centre = (float) (blockMeans[block] / count);
            float[] deviations = scratch.moreColumns;
            Arrays.fill(deviations, 0, spatial, 0f);
            Arrays.fill(columns, 0, spatial, 0f);
            for (int row = start; row < end; row += spatial) {
                System.arraycopy(values, row, rowCopy, 0, spatial);
                for (int j = 0; j < spatial; j++) {
                    float d = rowCopy[j] - centre;
                    deviations[j] += d;
                    columns[j] += d * d;
                }
            }
            RowBlocks.sumPositions(deviations, spatial, 1, scratch.lanes, blockMeans, block);
            RowBlocks.sumPositions(columns, spatial, 1, scratch.lanes, blockSquares, block);
            RowBlocks.refine(blockMeans, blockSquares, block, count, centre);
        }
        blocks.combine(blockMeans, blockSquares, 0, 1, mean, variance, c);
    }

    /** Evaluation-mode forward: {@code y = x * scale[c] + shift[c]}. */
    private static void affineForward(FloatBuffer x, FloatBuffer y, Layout layout, double[] scale, double[] shift) {
        HostKernels.forRanges(layout.channels(), 1, (from, to) -> {
            float[] values = Scratch.of(layout).first;
            for (int c = from; c < to; c++) {
                gather(x, layout, c, values);
                affineInPlace(values, layout.channelValues(), (float) scale[c], (float) shift[c]);
                scatter(values, layout, c, y);
            }
        });
    }

    /**
     * Training-mode backward. Per channel, with {@code Sdy = sum(dy)} and
     * {@code Sdyx = sum(dy * x) - mean * Sdy}: {@code dbeta = Sdy}, {@code dgamma = Sdyx * invStd},
     * and {@code dx = p * (dy + k * x + c)} with {@code p = gamma * invStd},
     * {@code k = -Sdyx * invStd^2 / M}, {@code c = -Sdy / M - k * mean} (see {@link BatchNorm2d}).
     * The parameter gradients of this batch go to {@code weightGradient} and {@code biasGradient}
     * (overwritten, not accumulated).
     */
    private static void backward(FloatBuffer x, FloatBuffer dy, FloatBuffer dx, Layout layout, double[] gamma,
            double[] mean, double[] inverseStd, double[] weightGradient, double[] biasGradient) {
        double count = layout.valuesPerChannel();
        HostKernels.forRanges(layout.channels(), 1, (from, to) -> {
            Scratch scratch = Scratch.of(layout);
            float[] inputs = scratch.first;
            float[] grads = scratch.second;
            float[] columns = scratch.columns;
            float[] products = scratch.moreColumns;
            int spatial = layout.spatial();
            for (int c = from; c < to; c++) {
                gather(x, layout, c, inputs);
                gather(dy, layout, c, grads);
                Arrays.fill(columns, 0, spatial, 0f);
                Arrays.fill(products, 0, spatial, 0f);
                for (int row = 0, length = layout.channelValues(); row < length; row += spatial) {
                    for (int j = 0; j < spatial; j++) {
                        float g = grads[row + j];
                        columns[j] += g;
                        products[j] += g * inputs[row + j];
                    }
                }
                double sumGrad = sum(columns, spatial);
                double invStd = inverseStd[c];
                double centered = sum(products, spatial) - mean[c] * sumGrad;
                double k = -centered * invStd * invStd / count;
                float kf = (float) k;
                float cf = (float) (-sumGrad / count - k * mean[c]);
                float pf = (float) (gamma[c] * invStd);
                for (int i = 0, length = layout.channelValues(); i < length; i++) {
                    inputs[i] = (inputs[i] * kf + cf + grads[i]) * pf;
                }
                scatter(inputs, layout, c, dx);
                weightGradient[c] = centered * invStd;
                biasGradient[c] = sumGrad;
            }
        });
    }

    /** Copies channel {@code c}'s N rows into {@code values} (bulk copies: memcpy speed). */
    private static void gather(FloatBuffer tensor, Layout layout, int c, float[] values) {
        int spatial = layout.spatial();
        for (int n = 0; n < layout.samples(); n++) {
            tensor.get(layout.rowStart(n, c), values, n * spatial, spatial);
        }
    }

    private static void scatter(float[] values, Layout layout, int c, FloatBuffer tensor) {
        int spatial = layout.spatial();
        for (int n = 0; n < layout.samples(); n++) {
            tensor.put(layout.rowStart(n, c), values, n * spatial, spatial);
        }
    }

    private static double sum(float[] columns, int length) {
        double total = 0;
        for (int j = 0; j < length; j++) {
            total += columns[j];
        }
        return total;
    }

    private static void affineInPlace(float[] values, int length, float a, float b) {
        for (int i = 0; i < length; i++) {
            values[i] = values[i] * a + b;
        }
    }

    /**
     * Per-thread heap copies of one channel: loops over heap arrays vectorize, over NIO buffers they
     * do not. They grow to the largest channel seen (two arrays of N*S floats per thread, 1 MB for
     * [128, C, 32, 32]) and live as long as the thread.
     */
    private static final class Scratch {
        private static final ThreadLocal<Scratch> OF_THREAD = new ThreadLocal<>();

        final float[] first;
        final float[] second;
        final float[] columns;
        final float[] moreColumns;
        final float[] row;
        /** Per block of rows: means and squared deviations ({@link RowBlocks}), and its lanes. */
        final double[] blockMeans;
        final double[] blockSquares;
        final double[] lanes = new double[RowBlocks.LANES];

        private Scratch(int values, int spatial, int blocks) {
            first = new float[values];
            second = new float[values];
            columns = new float[spatial];
            moreColumns = new float[spatial];
            row = new float[spatial];
            blockMeans = new double[blocks];
            blockSquares = new double[blocks];
        }

        /** The thread's scratch, grown (never shrunk) to hold a channel of {@code layout}. */
        static Scratch of(Layout layout) {
            Scratch scratch = OF_THREAD.get();
            int blocks = new RowBlocks(layout.samples(), layout.spatial(), layout.channels()).count();
            if (scratch == null || scratch.first.length < layout.channelValues()
                    || scratch.columns.length < layout.spatial() || scratch.blockMeans.length < blocks) {
                int values = Math.max(layout.channelValues(), scratch == null ? 0 : scratch.first.length);
                int spatial = Math.max(layout.spatial(), scratch == null ? 0 : scratch.columns.length);
                scratch = new Scratch(values, spatial, Math.max(blocks, scratch == null ? 0 : scratch.blockMeans.length));
                OF_THREAD.set(scratch);
            }
            return scratch;
        }
    }
}
