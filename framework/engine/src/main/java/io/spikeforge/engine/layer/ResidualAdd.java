package io.spikeforge.engine.layer;

import io.spikeforge.engine.tensor.BufferCache;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The addition that closes a residual block: {@code output = main + shortcut}.
 *
 * <p>Not a {@link Layer}, since it has two inputs. Its backward pass is the identity for both: the
 * gradient of the sum is the gradient of each summand, so {@link #backward} returns one array that
 * the caller sends down both branches (layers never modify their gradOutput, so sharing is safe).
 * Where the branches start from the same tensor, the caller adds the two gradients it gets back.
 */
public final class ResidualAdd {
    private static final String NAME = "ResidualAdd";

    private final DataType dataType;
    private final BufferCache buffers = new BufferCache();
    private long[] lastOutputShape;

    /** @param dataType float for training, double for gradient checks */
    public ResidualAdd(DataType dataType) {
        this.dataType = dataType;
    }

    /**
     * Adds the two branches.
     *
     * @param main output of the block's main branch
     * @param shortcut output of the shortcut (the block input, or its projection), same shape
     * @return the sum, a buffer reused by the next call
     */
    public INDArray forward(INDArray main, INDArray shortcut) {
        Checks.requireDataType(NAME, main, dataType);
        Checks.requireDataType(NAME, shortcut, dataType);
        Checks.requireShape(NAME, "shortcut", shortcut, main.shape());
        INDArray output = buffers.get("output", dataType, main.shape());
        main.add(shortcut, output);
        lastOutputShape = main.shape().clone();
        return output;
    }

    /**
     * The gradient for each of the two inputs of the last {@link #forward}.
     *
     * @param gradOutput dL/doutput
     * @return {@code gradOutput} itself: dL/dmain and dL/dshortcut are both equal to it
     */
    public INDArray backward(INDArray gradOutput) {
        Checks.requireForwardState(NAME, lastOutputShape != null);
        Checks.requireShape(NAME, "gradOutput", gradOutput, lastOutputShape);
        return gradOutput;
    }
}
