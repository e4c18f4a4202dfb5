package io.spikeforge.engine.layer;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Argument checks shared by the layers, with messages that name the layer. */
final class Checks {
    private Checks() {
    }

    /** Fails unless {@code array} has the layer's data type. */
    static void requireDataType(String layer, INDArray array, DataType dataType) {
        if (array.dataType() != dataType) {
            throw new IllegalArgumentException(layer + " works in " + dataType + " but got " + array.dataType());
        }
    }

    /** Fails unless {@code array} has the layer's data type and the given rank. */
    static void requireInput(String layer, INDArray array, DataType dataType, int rank) {
        requireDataType(layer, array, dataType);
        if (array.rank() != rank) {
            throw new IllegalArgumentException(layer + " expects a rank-" + rank + " input but got shape "
                    + Arrays.toString(array.shape()));
        }
    }

    /** Fails unless {@code actual} has {@code expected}'s shape. */
    static void requireShape(String layer, String what, INDArray actual, long... expected) {
        if (!Arrays.equals(actual.shape(), expected)) {
            throw new IllegalArgumentException(layer + ": " + what + " has shape " + Arrays.toString(actual.shape())
                    + ", expected " + Arrays.toString(expected));
        }
    }

    /** Fails when backward is called without a training-mode forward before it. */
    static void requireForwardState(String layer, boolean kept) {
        if (!kept) {
            throw new IllegalStateException(layer + ".backward needs a training-mode forward first");
        }
    }

    static void requirePositive(String what, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
    }
}
