package io.spikeforge.api.model;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trainable tensor with its gradient, owned by an engine layer or by a plugin component (an ANN
 * activation's threshold): the trainer's optimizer updates it, and it is saved in state dicts and
 * checkpoints under its owner's name.
 *
 * <p>The value is stored in PyTorch's layout under PyTorch's local name ({@code weight},
 * {@code bias}), so it can be placed in a {@link StateDict} as it is. The gradient has the value's
 * shape and data type, is allocated once (outside any ND4J workspace), and accumulates: the owner
 * adds to it in its backward pass, and whoever runs the training step calls {@link #zeroGradient()}.
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
        this.gradient = zerosOutsideWorkspaces(value);
    }

    @SuppressWarnings("try") // the scope object is only opened and closed
    private static INDArray zerosOutsideWorkspaces(INDArray like) {
        // a workspace's memory is recycled when it closes; a gradient lives as long as its owner
        try (MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Nd4j.zeros(like.dataType(), like.shape());
        }
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
