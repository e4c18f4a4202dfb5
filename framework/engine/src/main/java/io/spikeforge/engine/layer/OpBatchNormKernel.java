package io.spikeforge.engine.layer;

import io.spikeforge.api.kernel.KernelPath;
import io.spikeforge.engine.tensor.BufferCache;
import io.spikeforge.engine.tensor.OutsideWorkspaces;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link BatchNorm2d}'s passes as ND4J ops ({@link KernelPath#ND4J_OPS}): every backend, data
 * type and layout. It serves DOUBLE (the finite-difference checks), strided views, and FLOAT where
 * the backend keeps arrays off the host; it is the reference {@link FloatBatchNormKernel} is tested
 * against. See the package documentation for why not libnd4j's {@code batchnorm} ops.
 *
 * <p>NCHW: the contiguous input is seen as {@code [N*C, S]} rows, S = H*W, one row per sample and
 * channel. Sums per row are a matrix-vector product with a vector of ones (BLAS); the N rows of a
 * channel are then summed in double on the Java side, where the per-channel coefficients are
 * computed too. Every pass over the full tensor is a broadcast op with a {@code [1, C, 1]}
 * coefficient vector. NHWC: the input is seen as {@code [N, S, C]}, a sum over S gives the
 * {@code [N, C]} sums per sample and channel (added over N in double as for NCHW), and the passes
 * broadcast a {@code [1, C]} vector over the {@code [N*S, C]} view. The passes: forward {@code mu} (sum), {@code (x - mu)^2} (squaredsubtract, summed: the
 * two-pass variance) and {@code y = x * a + b}; backward {@code Sdy}, {@code Sdyx} from the sum of
 * {@code dy * x}, and {@code dx = p * (dy + k * x + c)}.
 */
final class OpBatchNormKernel implements BatchNormKernel {
    private final int channels;
    private final DataType dataType;
    private final ActivationLayout layout;
    private final BufferCache buffers = new BufferCache();
    /** Per-channel coefficients of the full-tensor passes, {@code [1, C, 1]} (NCHW) or {@code [1, C]} (NHWC). */
    private final INDArray scale;
    private final INDArray shift;
    private final INDArray offset;
    /** Per-channel values on the Java side, reused by every call. */
    private final double[] channelSums;
    private final double[] meanGradOutput;

    OpBatchNormKernel(int channels, DataType dataType, ActivationLayout layout) {
        this.channels = channels;
        this.dataType = dataType;
        this.layout = layout;
        long[] coefficientShape = layout == ActivationLayout.NCHW ? new long[] {1, channels, 1} : new long[] {1, channels};
        this.scale = OutsideWorkspaces.zeros(dataType, coefficientShape);
        this.shift = OutsideWorkspaces.zeros(dataType, coefficientShape);
        this.offset = OutsideWorkspaces.zeros(dataType, coefficientShape);
        this.channelSums = new double[channels];
        this.meanGradOutput = new double[channels];
    }

    @Override
    public KernelPath path() {
        return KernelPath.ND4J_OPS;
    }

    @Override
    public void affine(INDArray x, INDArray y, double[] scaleValues, double[] shiftValues) {
        DataBuffer scales = scale.data();
        DataBuffer shifts = shift.data();
        for (int c = 0; c < channels; c++) {
            scales.put(c, scaleValues[c]);
            shifts.put(c, shiftValues[c]);
        }
        applyAffine(x, y);
    }

    @Override
    public void trainForward(INDArray x, INDArray y, double[] gamma, double[] beta, double[] mean,
            double[] variance) {
        long valuesPerChannel = x.length() / channels;
        sumPerChannel(x);
        for (int c = 0; c < channels; c++) {
            mean[c] = channelSums[c] / valuesPerChannel;
            offset.data().put(c, mean[c]);
        }
        // (x - mu)^2 goes into the output buffer, which the normalized values overwrite below
        Nd4j.exec(DynamicCustomOp.builder("squaredsubtract")
                .addInputs(perChannel(x), offset)
                .addOutputs(perChannel(y))
                .build());
        sumPerChannel(y);
        DataBuffer scales = scale.data();
        DataBuffer shifts = shift.data();
        for (int c = 0; c < channels; c++) {
            variance[c] = channelSums[c] / valuesPerChannel;
            double a = gamma[c] * (1 / Math.sqrt(variance[c] + BatchNorm2d.EPSILON));
            scales.put(c, a);
            shifts.put(c, beta[c] - mean[c] * a);
        }
        applyAffine(x, y);
    }

    @Override
    public void backward(INDArray x, INDArray dy, INDArray dx, double[] gamma, double[] mean, double[] inverseStd,
            double[] weightGradient, double[] biasGradient) {
        long valuesPerChannel = x.length() / channels;
        sumPerChannel(dy);
        for (int c = 0; c < channels; c++) {
            biasGradient[c] = channelSums[c];
            meanGradOutput[c] = channelSums[c] / valuesPerChannel;
        }
        // dy * x goes into the gradient buffer, which dx overwrites below
        Nd4j.exec(DynamicCustomOp.builder("multiply")
                .addInputs(x, dy)
                .addOutputs(dx)
                .build());
        sumPerChannel(dx);
        DataBuffer scales = scale.data();
        DataBuffer shifts = shift.data();
        DataBuffer offsets = offset.data();
        for (int c = 0; c < channels; c++) {
            double invStd = inverseStd[c];
            double centeredSum = channelSums[c] - mean[c] * meanGradOutput[c] * valuesPerChannel;
            weightGradient[c] = centeredSum * invStd;
            double k = -centeredSum * invStd * invStd / valuesPerChannel;
            offsets.put(c, k);
            shifts.put(c, -meanGradOutput[c] - k * mean[c]);
            scales.put(c, gamma[c] * invStd);
        }
        // dx = p * (dy + k * x + c): k in offset, c in shift, p in scale
        INDArray x3 = perChannel(x);
        INDArray dx3 = perChannel(dx);
        broadcast("multiply", x3, offset, dx3);
        broadcast("add", dx3, shift, dx3);
        Nd4j.exec(DynamicCustomOp.builder("add")
                .addInputs(dx, dy)
                .addOutputs(dx)
                .build());
        broadcast("multiply", dx3, scale, dx3);
    }

    /** {@code output = input * scale + shift} per channel. */
    private void applyAffine(INDArray input, INDArray output) {
        INDArray output3 = perChannel(output);
        broadcast("multiply", perChannel(input), scale, output3);
        broadcast("add", output3, shift, output3);
    }

    /**
     * Sets {@link #channelSums} to the sums of {@code tensor} per channel: BLAS sums each row of
     * the {@code [N*C, S]} view, then the N rows of each channel are added in double.
     */
    private void sumPerChannel(INDArray tensor) {
        long samples = tensor.size(0);
        long spatial = tensor.length() / (samples * channels);
        INDArray rowSums = buffers.get("rowSums", dataType, samples * channels, 1);
        if (layout == ActivationLayout.NCHW) {
            INDArray rows = tensor.reshape('c', samples * channels, spatial);
            INDArray ones = buffers.filled("ones", dataType, 1, spatial, 1);
            Nd4j.gemm(rows, ones, rowSums, false, false, 1.0, 0.0);
        } else {
            tensor.reshape('c', samples, spatial, channels).sum(rowSums.reshape('c', samples, channels), 1);
        }
        DataBuffer sums = rowSums.data();
        Arrays.fill(channelSums, 0);
        for (long n = 0, row = 0; n < samples; n++) {
            for (int c = 0; c < channels; c++, row++) {
                channelSums[c] += sums.getDouble(row);
            }
        }
    }

    /**
     * The {@code [N, C, S]} view of a contiguous NCHW tensor, or the {@code [N*S, C]} view of an
     * NHWC one, for broadcasts of the per-channel coefficients.
     */
    private INDArray perChannel(INDArray tensor) {
        return layout == ActivationLayout.NCHW
                ? tensor.reshape('c', tensor.size(0), channels, tensor.length() / (tensor.size(0) * channels))
                : tensor.reshape('c', tensor.length() / channels, channels);
    }

    private static void broadcast(String op, INDArray tensor, INDArray coefficients, INDArray output) {
        Nd4j.exec(DynamicCustomOp.builder(op)
                .addInputs(tensor, coefficients)
                .addOutputs(output)
                .build());
    }
}
