package io.spikeforge.api.kernel;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The ways a layer with a fused kernel can compute its passes, and the rule that picks one.
 *
 * <p>Such a layer ({@code BatchNorm2d}, the {@code lif} and {@code if} neurons) puts each path
 * behind one interface of its own and holds one implementation per path. It selects its path once
 * with {@link #select(DataType)}, when it is built, or at its first call where only that call tells
 * the data type, and keeps it. The rule:
 * <ol>
 *   <li><b>Backend.</b> {@link #HOST_FLOAT} only where ND4J keeps arrays in host memory (the CPU
 *       backend, {@link HostKernels#backendUsesHostMemory}). A CUDA array's values live on the
 *       device; a Java loop over its host buffer would compute on stale numbers.</li>
 *   <li><b>Data type.</b> {@link #HOST_FLOAT} only for FLOAT. DOUBLE (gradient checks) and every
 *       other type take {@link #ND4J_OPS}.</li>
 *   <li><b>Layout, per call.</b> A tensor the selected path does not {@link #accepts accept} (a
 *       strided view, an array beyond 2 GiB) is computed on {@link #ND4J_OPS} for that call.</li>
 * </ol>
 *
 * <p>A new path (cuDNN kernels, say) is a constant here, its condition in {@link #select(boolean,
 * DataType)} and {@link #accepts}, and an implementation of the interface in each layer that offers
 * it. Layers without one fall back to {@link #ND4J_OPS}, which serves every backend, type and layout.
 */
public enum KernelPath {
    /**
     * Fused Java loops over the arrays' host memory ({@link HostKernels#floats}), one pass where the
     * ops make several: dense FLOAT tensors on a host-memory backend.
     */
    HOST_FLOAT,
    /**
     * ND4J ops, one per step of the computation: every backend, data type and layout. It is the
     * reference that the fused kernels are tested against, and the path of the finite-difference
     * checks (DOUBLE).
     */
    ND4J_OPS;

    /**
     * The path for a layer that computes in {@code dataType}, by the rule above.
     *
     * @param hostMemory whether the ND4J backend keeps arrays in host memory (true for the CPU
     *     backend, false for CUDA); a parameter so that the rule can be tested for backends this
     *     process does not run
     */
    public static KernelPath select(boolean hostMemory, DataType dataType) {
        Objects.requireNonNull(dataType, "dataType");
        return hostMemory && dataType == DataType.FLOAT ? HOST_FLOAT : ND4J_OPS;
    }

    /** The path for a layer that computes in {@code dataType} on this process's ND4J backend. */
    public static KernelPath select(DataType dataType) {
        return select(HostKernels.backendUsesHostMemory(), dataType);
    }

    /**
     * Whether this path computes over {@code tensor} as laid out: {@link #HOST_FLOAT} needs
     * {@link HostKernels#isDenseFloat dense FLOAT} arrays, {@link #ND4J_OPS} takes any.
     */
    public boolean accepts(INDArray tensor) {
        return this == ND4J_OPS || HostKernels.isDenseFloat(tensor);
    }
}
