package io.spikeforge.engine.layer;

import io.spikeforge.api.kernel.KernelPath;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One way of computing {@link BatchNorm2d}'s passes over {@code [N, C, H, W]} tensors, for one
 * {@link KernelPath}. The layer keeps the parameters, the running statistics and the batch
 * statistics between forward and backward, and hands an implementation per-channel values in
 * double; the implementation computes over the tensors and holds at most scratch space. The
 * formulas are in {@link BatchNorm2d}; each implementation keeps its own order of arithmetic, so
 * the two agree to float rounding, not bit for bit.
 *
 * <p>A new path: implement this interface for the path's tensors and let
 * {@link BatchNorm2d}'s constructor pick it for the path {@link KernelPath#select} returns.
 */
interface BatchNormKernel {
    /** The path this implementation computes on; it takes the tensors the path {@link KernelPath#accepts}. */
    KernelPath path();

    /** Evaluation-mode forward: {@code y = x * scale[c] + shift[c]}. */
    void affine(INDArray x, INDArray y, double[] scale, double[] shift);

    /**
     * Training-mode forward: per channel, the batch mean and biased variance into {@code mean} and
     * {@code variance}, and {@code y = (x - mean) / sqrt(variance + eps) * gamma + beta} with
     * {@link BatchNorm2d#EPSILON}.
     */
    void trainForward(INDArray x, INDArray y, double[] gamma, double[] beta, double[] mean, double[] variance);

    /**
     * Training-mode backward through the batch statistics: {@code dx}, and this batch's parameter
     * gradients per channel into {@code weightGradient} and {@code biasGradient} (overwritten; the
     * layer accumulates them into its parameters).
     *
     * @param x the input of the training forward
     * @param mean the batch mean of that forward
     * @param inverseStd {@code 1 / sqrt(variance + eps)} of that forward
     */
    void backward(INDArray x, INDArray dy, INDArray dx, double[] gamma, double[] mean, double[] inverseStd,
            double[] weightGradient, double[] biasGradient);
}
