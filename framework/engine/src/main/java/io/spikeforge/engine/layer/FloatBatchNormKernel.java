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
 * op-by-op path made five and seven passes over the whole tensor. Sums are taken in float per
 * spatial position over the N rows (element-wise, so vectorized), and those S sums are added in
 * double; the variance is two-pass (centered), as on the op path; per-channel coefficients are
 * computed in double and applied in float. A channel's result does not depend on the thread split.
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
        double count = layout.valuesPerChannel();
        HostKernels.forRanges(layout.channels(), 1, (from, to) -> {
            Scratch scratch = Scratch.of(layout);
            float[] values = scratch.first;
            for (int c = from; c < to; c++) {
                gather(x, layout, c, values);
                double channelMean = columnSums(values, layout, scratch.columns) / count;
                float centre = (float) channelMean;
                float[] columns = scratch.columns;
                int spatial = layout.spatial();
                Arrays.fill(columns, 0, spatial, 0f);
                for (int row = 0, length = layout.channelValues(); row < length; row += spatial) {
                    for (int j = 0; j < spatial; j++) {
                        float d = values[row + j] - centre;
                        columns[j] += d * d;
                    }
                }
                double channelVariance = sum(columns, spatial) / count;
                double a = gamma[c] / Math.sqrt(channelVariance + epsilon);
                affineInPlace(values, layout.channelValues(), (float) a, (float) (beta[c] - channelMean * a));
                scatter(values, layout, c, y);
                mean[c] = channelMean;
                variance[c] = channelVariance;
            }
        });
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

    /**
     * Sum of a channel's values: float sums per spatial position over the N rows (element-wise,
     * which the JIT vectorizes), then those S sums added in double.
     */
    private static double columnSums(float[] values, Layout layout, float[] columns) {
        int spatial = layout.spatial();
        Arrays.fill(columns, 0, spatial, 0f);
        for (int row = 0, length = layout.channelValues(); row < length; row += spatial) {
            for (int j = 0; j < spatial; j++) {
                columns[j] += values[row + j];
            }
        }
        return sum(columns, spatial);
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

        private Scratch(int values, int spatial) {
            first = new float[values];
            second = new float[values];
            columns = new float[spatial];
            moreColumns = new float[spatial];
        }

        /** The thread's scratch, grown (never shrunk) to hold a channel of {@code layout}. */
        static Scratch of(Layout layout) {
            Scratch scratch = OF_THREAD.get();
            if (scratch == null || scratch.first.length < layout.channelValues()
                    || scratch.columns.length < layout.spatial()) {
                int values = Math.max(layout.channelValues(), scratch == null ? 0 : scratch.first.length);
                int spatial = Math.max(layout.spatial(), scratch == null ? 0 : scratch.columns.length);
                scratch = new Scratch(values, spatial);
                OF_THREAD.set(scratch);
            }
            return scratch;
        }
    }
}
