package io.spikeforge.engine.layer;

import io.spikeforge.api.model.Parameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One layer of the training engine, with an explicit forward and backward pass.
 *
 * <p>Contract shared by all implementations:
 * <ul>
 *   <li>{@link #forward} never modifies its input. In training mode it keeps what {@link #backward}
 *       needs, which may be a reference to the input itself: the caller must leave the input
 *       unchanged until the backward pass.</li>
 *   <li>{@link #backward} refers to the last training-mode forward, never modifies its argument,
 *       returns dL/dinput, and adds dL/dparameter into each {@link Parameter#gradient()} (it does
 *       not zero them).</li>
 *   <li>Returned arrays are buffers the layer reuses: a forward result stays valid until the next
 *       forward, a backward result until the next backward (for a layer told to share a gradient
 *       pool, such as {@link Conv2d#useGradientPool}, until a layer sharing it writes the same
 *       buffer). Callers that keep them must copy.</li>
 *   <li>Buffers are cached by shape, so calls with repeating shapes allocate nothing.</li>
 *   <li>A layer works in one data type, fixed at construction (float for training, double for
 *       gradient checks); inputs must have it.</li>
 * </ul>
 * Layers are not thread-safe.
 */
public interface Layer {
    /**
     * Computes the layer's output.
     *
     * @param input the input batch; time-major {@code [T*B, ...]} in spiking networks
     * @param training true to use batch statistics (where the layer has any) and to keep what
     *     {@link #backward} needs
     * @return the output, a buffer owned by the layer
     */
    INDArray forward(INDArray input, boolean training);

    /**
     * Back-propagates through the last training-mode {@link #forward}.
     *
     * @param gradOutput dL/doutput, shaped like the last output
     * @return dL/dinput, a buffer owned by the layer
     * @throws IllegalStateException when no training-mode forward precedes it
     */
    INDArray backward(INDArray gradOutput);

    /**
     * Tells the layer that nothing reads the result of {@link #backward}: it is a model's first
     * layer, and whoever back-propagates does not want dL/dimages. A layer that can save work by
     * it (a float convolution) may then return null; the others ignore it.
     */
    default void skipInputGradient() {
    }

    /** The trainable parameters, in PyTorch's order; empty for layers without any. */
    default List<Parameter> parameters() {
        return List.of();
    }

    /**
     * Non-trainable state that belongs in a state dict (BatchNorm's {@code running_mean} and
     * {@code running_var}), by PyTorch name; the arrays are the layer's own.
     */
    default Map<String, INDArray> buffers() {
        return Map.of();
    }

    /**
     * Every tensor of the layer by PyTorch local name and in PyTorch layout: parameter values, then
     * buffers. The arrays are the layer's own, so writes with {@code assign} change the layer.
     */
    default Map<String, INDArray> stateTensors() {
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        for (Parameter parameter : parameters()) {
            tensors.put(parameter.name(), parameter.value());
        }
        tensors.putAll(buffers());
        return tensors;
    }
}
