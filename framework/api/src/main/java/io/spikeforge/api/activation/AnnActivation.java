package io.spikeforge.api.activation;

import io.spikeforge.api.model.Parameter;
import java.util.List;
import java.util.OptionalDouble;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The activation function of one ANN layer, with an explicit forward and backward pass.
 *
 * <p>Input and output are batch-major, {@code [B, C, H, W]} after a convolution or {@code [B, C]}
 * after a linear layer; the channel dimension is 1. An instance belongs to one layer and is stateful:
 * {@link #forward} in training mode keeps what {@link #backward} needs. Returned arrays may be
 * buffers the instance reuses on its next call; callers that keep them must copy. An instance works
 * in the data type it was made for ({@link AnnActivationProvider#create}): FLOAT in training, DOUBLE
 * in gradient checks; its inputs, outputs and parameters have it. Not thread-safe.
 *
 * <p>An activation may own trainable tensors ({@link #parameters()}): the engine puts them in the
 * model's parameters and state dict under the layer's name ({@code layer1.0.act1.threshold}), the
 * optimizer updates them, checkpoints save them, and {@link #backward} adds their gradients.
 * {@link #parameters()} must return the same objects on every call, with unique local names
 * without dots. {@code io.spikeforge.testkit.activation.AnnActivationContract} checks all of this.
 */
public interface AnnActivation {
    /**
     * @param input the pre-activation, {@code [B, C, ...]}
     * @param training when true, keep what {@link #backward} needs
     * @return the activation, shaped like the input
     */
    INDArray forward(INDArray input, boolean training);

    /**
     * Back-propagates through the last training-mode {@link #forward}, adding each parameter's
     * gradient into {@link Parameter#gradient()} (without zeroing it first).
     *
     * @param gradOutput dL/doutput, shaped like the last output
     * @return dL/dinput
     * @throws IllegalStateException when no training-mode forward precedes it
     */
    INDArray backward(INDArray gradOutput);

    /** The trainable tensors this activation owns, under local names; empty for none (ReLU). */
    default List<Parameter> parameters() {
        return List.of();
    }

    /**
     * The firing threshold of the spiking neurons that replace this activation when the network is
     * converted, where the activation itself defines one (QCFS: its trainable upper bound lambda);
     * empty when conversion must find the threshold from calibration data.
     */
    default OptionalDouble conversionThreshold() {
        return OptionalDouble.empty();
    }
}
