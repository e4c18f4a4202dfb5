package io.spikeforge.engine.layer;

import io.spikeforge.engine.tensor.OutsideWorkspaces;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trainable tensor of a layer with its gradient.
 *
 * <p>The value is stored in PyTorch's layout under PyTorch's local name ({@code weight},
 * {@code bias}), so it can be placed in a {@link io.spikeforge.api.model.StateDict} as it is. The
 * gradient has the value's shape and data type, is allocated once, and accumulates: layers add to
 * it in {@link Layer#backward}, and whoever runs the training step calls {@link #zeroGradient()}.
 */
public final class Parameter {
    private final String name;
    private final INDArray value;
    private final INDArray gradient;

    /**
     * Wraps {@code value} (kept, not copied) and allocates its zero gradient.
     *
     * @param name PyTorch-style local name, such as {@code weight}
     * @param value the layer's own array
     */
    public Parameter(String name, INDArray value) {
        this.name = Objects.requireNonNull(name, "name");
        this.value = Objects.requireNonNull(value, "value");
        this.gradient = OutsideWorkspaces.zeros(value.dataType(), value.shape());
    }

    /** The local name, such as {@code weight} or {@code bias}. */
    public String name() {
        return name;
    }

    /** The value, the layer's own array: writing into it changes the layer. */
    public INDArray value() {
        return value;
    }

    /** The accumulated gradient dL/dvalue, same shape as the value. */
    public INDArray gradient() {
        return gradient;
    }

    /** Sets the gradient to zero, before the next accumulation. */
    public void zeroGradient() {
        gradient.assign(0);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(value.shape());
    }
}
