/**
 * Helpers for fused element-wise kernels written in Java over ND4J's host memory: a layer or a
 * plugin that would otherwise chain several ND4J ops over the same tensor (each a full pass through
 * memory) can make one pass instead, split over the host's cores. What lives here: the rule that
 * decides whether a layer may use such a kernel at all, by backend, data type and layout
 * ({@link io.spikeforge.api.kernel.KernelPath}); direct views of dense float arrays
 * ({@link io.spikeforge.api.kernel.HostKernels#floats}) and a deterministic parallel loop over
 * independent ranges ({@link io.spikeforge.api.kernel.HostKernels#forRanges}).
 */
package io.spikeforge.api.kernel;
