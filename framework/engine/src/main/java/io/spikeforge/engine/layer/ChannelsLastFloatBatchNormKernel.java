package io.spikeforge.engine.layer;

import io.spikeforge.api.kernel.HostKernels;
import io.spikeforge.api.kernel.KernelPath;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link BatchNorm2d}'s passes over dense FLOAT {@link ActivationLayout#NHWC} tensors in host
 * memory as Java loops ({@link KernelPath#HOST_FLOAT}), the channels-last twin of
 * {@link FloatBatchNormKernel}, with the same float arithmetic in the same order, so that both
 * layouts give bit-identical results.
 *
 * <p>The tensor is N samples of S = H*W positions of C contiguous channels. A sample is one row of
 * S*C floats; a pass walks the rows one after another and, within a row, all channels of a run of
 * positions at once, so every loop is a flat, vectorizable loop over contiguous floats (the
 * per-channel coefficients are tiled over the positions once per call) instead of a gather per
 * channel.
 *
 * <p>The training statistics read the tensor once, in blocks of rows that stay in the cache, with
 * {@link RowBlocks}' arithmetic, which {@link FloatBatchNormKernel} applies per channel; the blocks
 * are split over the host's threads. The other passes (output, backward sums, backward output)
 * stream: sums are taken in float per position and channel over the N rows, as the NCHW kernel
 * does per position of a channel, and those S sums of a channel are then added in double in
 * position order. There the positions are split over the host's threads; each thread bulk-copies
 * its part of a row into a heap array (loops over NIO views do not vectorize) and accumulates into
 * its own part of the shared per-position sums. Either way the result does not depend on the split.
 *
 * <p>Unlike the NCHW kernel, a channel is not held in the cache between passes (its values are
 * spread over the whole tensor): the forward reads the tensor twice (statistics, output) and the
 * backward twice, each read streaming.
 */
final class ChannelsLastFloatBatchNormKernel implements BatchNormKernel {
    /** Floats of a row part below which splitting over threads does not pay. */
    private static final int MIN_FLOATS_PER_PART = 4096;

    @Override
    public KernelPath path() {
        return KernelPath.HOST_FLOAT;
    }

    @Override
    public void affine(INDArray x, INDArray y, double[] scale, double[] shift) {
        Shape shape = Shape.of(x.shape());
        Sums sums = Sums.of(shape);
        float[] a = sums.tiledA;
        float[] b = sums.tiledB;
        for (int c = 0; c < shape.channels(); c++) {
            a[c] = (float) scale[c];
            b[c] = (float) shift[c];
        }
        tile(a, shape);
        tile(b, shape);
        affinePass(HostKernels.floats(x), HostKernels.floats(y), shape, a, b);
    }

    /**
     * Training-mode forward: per channel the batch mean and biased variance into {@code mean} and
     * {@code variance}, then {@code y = x * a + b} with {@code a = gamma / sqrt(var + eps)},
     * {@code b = beta - mean * a}.
     */
    @Override
    public void trainForward(INDArray x, INDArray y, double[] gamma, double[] beta, double[] mean,
            double[] variance) {
        Shape shape = Shape.of(x.shape());
        Sums sums = Sums.of(shape);
        float[] a = sums.tiledA;
        float[] b = sums.tiledB;
        trainStatistics(x, gamma, beta, mean, variance, a, b);
        tile(a, shape);
        tile(b, shape);
        affinePass(HostKernels.floats(x), HostKernels.floats(y), shape, a, b);
    }

    /**
     * The statistics of {@link #trainForward} without its output pass: the batch mean and biased
     * variance into {@code mean} and {@code variance}, and the float coefficients of
     * {@code y = x * a + b} into the first C entries of {@code a} and {@code b}, for a caller that
     * applies them itself (neurons that take a {@link io.spikeforge.api.neuron.ChannelAffine}).
     */
    void trainStatistics(INDArray x, double[] gamma, double[] beta, double[] mean, double[] variance, float[] a,
            float[] b) {
        Shape shape = Shape.of(x.shape());
        FloatBuffer input = HostKernels.floats(x);
        statistics(input, shape, mean, variance, HostKernels.threads());
        for (int c = 0; c < shape.channels(); c++) {
            double scale = gamma[c] / Math.sqrt(variance[c] + BatchNorm2d.EPSILON);
            a[c] = (float) scale;
            b[c] = (float) (beta[c] - mean[c] * scale);
        }
    }

    /**
     * Per channel the batch mean and biased variance of {@code x} into {@code mean} and
     * {@code variance}, in at most {@code parts} parts of work: a test hook for
     * {@link #statistics(FloatBuffer, Shape, double[], double[], int)}, whose numbers must not
     * depend on {@code parts}.
     */
    void statistics(INDArray x, double[] mean, double[] variance, int parts) {
        statistics(HostKernels.floats(x), Shape.of(x.shape()), mean, variance, parts);
    }

    /**
     * The batch statistics in one read of the tensor: {@link RowBlocks}' blocks of rows, split over
     * at most {@code parts} threads. Each block is copied into heap arrays of its thread, one per
     * row, summed, and summed again as deviations and their squares while it is in the cache; the
     * per-block results, kept per block, are combined in block order afterwards, so the split does
     * not change them. A row has an array of its own because C2 (JDK 17) vectorizes
     * {@code sums[i] += row[i]} but not {@code sums[i] += block[start + i]}, which ran 3 times slower.
     */
    private static void statistics(FloatBuffer input, Shape shape, double[] mean, double[] variance, int parts) {
        int channels = shape.channels();
        int rowLength = shape.rowLength();
        RowBlocks blocks = new RowBlocks(shape.samples(), shape.spatial(), channels);
        double[] blockMeans = new double[blocks.count() * channels];
        double[] blockSquares = new double[blocks.count() * channels];
        HostKernels.forRanges(blocks.count(), 1, parts, (from, to) -> {
            BlockScratch scratch = BlockScratch.of(blocks.rows(), shape);
            float[][] rows = scratch.rows;
            float[] columns = scratch.columns;
            float[] centres = scratch.centres;
            for (int block = from; block < to; block++) {
                int blockRows = blocks.rowsOf(block);
                long count = (long) blockRows * shape.spatial();
                int at = block * channels;
                Arrays.fill(columns, 0, rowLength, 0f);
                for (int r = 0; r < blockRows; r++) {
                    float[] row = rows[r];
                    input.get((blocks.firstRow(block) + r) * rowLength, row, 0, rowLength);
                    for (int i = 0; i < rowLength; i++) {
                        columns[i] += row[i];
                    }
                }
                RowBlocks.sumPositions(columns, shape.spatial(), channels, scratch.lanes, blockMeans, at);
                for (int c = 0; c < channels; c++) {
                    centres[c] = (float) (blockMeans[at + c] / count);
                }
                tile(centres, shape);
                float[] deviations = scratch.deviations;
                Arrays.fill(deviations, 0, rowLength, 0f);
                Arrays.fill(columns, 0, rowLength, 0f);
                for (int r = 0; r < blockRows; r++) {
                    float[] row = rows[r];
                    for (int i = 0; i < rowLength; i++) {
                        float d = row[i] - centres[i];
                        deviations[i] += d;
                        columns[i] += d * d;
                    }
                }
                RowBlocks.sumPositions(deviations, shape.spatial(), channels, scratch.lanes, blockMeans, at);
                RowBlocks.sumPositions(columns, shape.spatial(), channels, scratch.lanes, blockSquares, at);
                for (int c = 0; c < channels; c++) {
                    RowBlocks.refine(blockMeans, blockSquares, at + c, count, centres[c]);
                }
            }
        });
        for (int c = 0; c < channels; c++) {
            blocks.combine(blockMeans, blockSquares, c, channels, mean, variance, c);
        }
    }

    /**
     * Training-mode backward, as {@link FloatBatchNormKernel}'s: {@code dbeta = Sdy},
     * {@code dgamma = Sdyx * invStd}, {@code dx = p * (dy + k * x + c)}.
     */
    @Override
    public void backward(INDArray x, INDArray dy, INDArray dx, double[] gamma, double[] mean, double[] inverseStd,
            double[] weightGradient, double[] biasGradient) {
        Shape shape = Shape.of(x.shape());
        FloatBuffer input = HostKernels.floats(x);
        FloatBuffer grad = HostKernels.floats(dy);
        Sums sums = Sums.of(shape);
        double count = shape.valuesPerChannel();
        float[] columns = sums.first;
        float[] products = sums.second;
        forPositions(shape, (from, to, rows) -> {
            float[] inputs = rows.first;
            float[] grads = rows.second;
            float[] partSums = rows.sums;
            float[] partProducts = rows.products;
            int length = to - from;
            Arrays.fill(partSums, 0, length, 0f);
            Arrays.fill(partProducts, 0, length, 0f);
            for (int n = 0; n < shape.samples(); n++) {
                input.get(n * shape.rowLength() + from, inputs, 0, length);
                grad.get(n * shape.rowLength() + from, grads, 0, length);
                for (int i = 0; i < length; i++) {
                    float g = grads[i];
                    partSums[i] += g;
                    partProducts[i] += g * inputs[i];
                }
            }
            System.arraycopy(partSums, 0, columns, from, length);
            System.arraycopy(partProducts, 0, products, from, length);
        });
        float[] ks = sums.tiledA;
        float[] cs = sums.tiledB;
        float[] ps = sums.tiledC;
        for (int c = 0; c < shape.channels(); c++) {
            double sumGrad = channelSum(columns, shape, c);
            double invStd = inverseStd[c];
            double centered = channelSum(products, shape, c) - mean[c] * sumGrad;
            double k = -centered * invStd * invStd / count;
            ks[c] = (float) k;
            cs[c] = (float) (-sumGrad / count - k * mean[c]);
            ps[c] = (float) (gamma[c] * invStd);
            weightGradient[c] = centered * invStd;
            biasGradient[c] = sumGrad;
        }
        tile(ks, shape);
        tile(cs, shape);
        tile(ps, shape);
        FloatBuffer output = HostKernels.floats(dx);
        forPositions(shape, (from, to, rows) -> {
            float[] inputs = rows.first;
            float[] grads = rows.second;
            int length = to - from;
            for (int n = 0; n < shape.samples(); n++) {
                int start = n * shape.rowLength() + from;
                input.get(start, inputs, 0, length);
                grad.get(start, grads, 0, length);
                // a part starts at a whole position and the coefficients repeat every C floats,
                // so ks[i] is ks[from + i]: indices from 0 keep the loop vectorized (RowBuffers)
                for (int i = 0; i < length; i++) {
                    inputs[i] = (inputs[i] * ks[i] + cs[i] + grads[i]) * ps[i];
                }
                output.put(start, inputs, 0, length);
            }
        });
    }

    /** {@code y = x * a + b}, with {@code a} and {@code b} tiled over a row. */
    private static void affinePass(FloatBuffer x, FloatBuffer y, Shape shape, float[] a, float[] b) {
        forPositions(shape, (from, to, rows) -> {
            float[] values = rows.first;
            int length = to - from;
            for (int n = 0; n < shape.samples(); n++) {
                int start = n * shape.rowLength() + from;
                x.get(start, values, 0, length);
                // a part starts at a whole position, so the tiled coefficients read from 0 are its
                // own; indexed from 0, C2 vectorizes the loop (tools/kernel-bench/OffsetIndex.java)
                for (int i = 0; i < length; i++) {
                    values[i] = values[i] * a[i] + b[i];
                }
                y.put(start, values, 0, length);
            }
        });
    }

    /** The S per-position sums of channel {@code c} added in double, in position order. */
    private static double channelSum(float[] columns, Shape shape, int c) {
        double total = 0;
        for (int i = c, length = shape.rowLength(); i < length; i += shape.channels()) {
            total += columns[i];
        }
        return total;
    }

    /** Repeats the first C entries of {@code values} over the S positions of a row. */
    private static void tile(float[] values, Shape shape) {
        for (int start = shape.channels(); start < shape.rowLength(); start += shape.channels()) {
            System.arraycopy(values, 0, values, start, shape.channels());
        }
    }

    /** A part of every row: the floats {@code [from, to)} of a row (whole positions). */
    @FunctionalInterface
    private interface RowPart {
        void run(int from, int to, RowBuffers rows);
    }

    /** Runs {@code body} over the positions of a row, split over the host's threads. */
    private static void forPositions(Shape shape, RowPart body) {
        int grain = Math.max(1, MIN_FLOATS_PER_PART / shape.channels());
        HostKernels.forRanges(shape.spatial(), grain, (from, to) -> body.run(from * shape.channels(),
                to * shape.channels(), RowBuffers.of((to - from) * shape.channels())));
    }

    /** What one pass needs about the tensor's shape. */
    private record Shape(int samples, int spatial, int channels) {
        static Shape of(long[] shape) {
            return new Shape((int) shape[0], (int) (shape[1] * shape[2]), (int) shape[3]);
        }

        /** S*C floats, one sample. */
        int rowLength() {
            return spatial * channels;
        }

        long valuesPerChannel() {
            return (long) samples * spatial;
        }
    }

    /**
     * Per-position sums and tiled coefficients of the calling thread, shared by the worker threads
     * of one call (each writes its own positions; the fork-join's completion publishes them). They
     * grow to the largest row seen and live as long as the thread.
     */
    private static final class Sums {
        private static final ThreadLocal<Sums> OF_THREAD = new ThreadLocal<>();

        final float[] first;
        final float[] second;
        final float[] tiledA;
        final float[] tiledB;
        final float[] tiledC;

        private Sums(int length) {
            first = new float[length];
            second = new float[length];
            tiledA = new float[length];
            tiledB = new float[length];
            tiledC = new float[length];
        }

        static Sums of(Shape shape) {
            Sums sums = OF_THREAD.get();
            if (sums == null || sums.first.length < shape.rowLength()) {
                sums = new Sums(shape.rowLength());
                OF_THREAD.set(sums);
            }
            return sums;
        }
    }

    /**
     * A worker thread's heap copies of the rows of a block, its per-position sums (of values, then of
     * squared deviations), its tiled centres, the per-position sums of deviations and
     * the lanes of {@link RowBlocks#sumPositions}. They grow to the largest block seen and live as
     * long as the thread.
     */
    private static final class BlockScratch {
        private static final ThreadLocal<BlockScratch> OF_THREAD = new ThreadLocal<>();

        final float[][] rows;
        final float[] columns;
        final float[] centres;
        final float[] deviations;
        final double[] lanes;

        private BlockScratch(int rows, int rowLength, int channels) {
            this.rows = new float[rows][rowLength];
            columns = new float[rowLength];
            centres = new float[rowLength];
            deviations = new float[rowLength];
            lanes = new double[RowBlocks.LANES * channels];
        }

        static BlockScratch of(int rows, Shape shape) {
            BlockScratch scratch = OF_THREAD.get();
            if (scratch == null || scratch.rows.length < rows || scratch.columns.length < shape.rowLength()
                    || scratch.lanes.length < RowBlocks.LANES * shape.channels()) {
                scratch = new BlockScratch(Math.max(rows, scratch == null ? 0 : scratch.rows.length),
                        Math.max(shape.rowLength(), scratch == null ? 0 : scratch.columns.length),
                        Math.max(shape.channels(), scratch == null ? 0 : scratch.lanes.length / RowBlocks.LANES));
                OF_THREAD.set(scratch);
            }
            return scratch;
        }
    }

    /**
     * A worker thread's heap copies of its part of a row (input and gradient) and its per-position
     * sums of the backward, indexed from 0 like the copies: C2 (JDK 17) vectorizes a loop whose
     * arrays all start at the loop's index, not one that adds the part's offset to some of them
     * (measured 3 times slower).
     */
    private static final class RowBuffers {
        private static final ThreadLocal<RowBuffers> OF_THREAD = new ThreadLocal<>();

        final float[] first;
        final float[] second;
        final float[] sums;
        final float[] products;

        private RowBuffers(int length) {
            first = new float[length];
            second = new float[length];
            sums = new float[length];
            products = new float[length];
        }

        static RowBuffers of(int length) {
            RowBuffers buffers = OF_THREAD.get();
            if (buffers == null || buffers.first.length < length) {
                buffers = new RowBuffers(length);
                OF_THREAD.set(buffers);
            }
            return buffers;
        }
    }
}
