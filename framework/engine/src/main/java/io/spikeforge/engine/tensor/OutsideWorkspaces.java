package io.spikeforge.engine.tensor;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Allocation of long-lived arrays (parameters, gradients, reused buffers) that must never land in
 * an ND4J workspace active on the calling thread: a workspace's memory is recycled when it closes.
 */
public final class OutsideWorkspaces {
    private OutsideWorkspaces() {
    }

    /** A new zero-filled c-order array detached from any workspace. */
    @SuppressWarnings("try") // the scope object is only opened and closed
    public static INDArray zeros(DataType dataType, long... shape) {
        try (MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Nd4j.zeros(dataType, shape);
        }
    }
}
