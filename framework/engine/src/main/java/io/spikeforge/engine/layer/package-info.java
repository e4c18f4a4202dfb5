/**
 * Layers of the training engine: each an explicit forward and backward pass on ND4J / libnd4j ops
 * called directly (no SameDiff graph), writing into buffers reused while shapes repeat and keeping
 * only what its backward pass needs. The contract is {@link io.spikeforge.engine.layer.Layer};
 * trainable tensors are {@link io.spikeforge.api.model.Parameter}s with PyTorch names and
 * layouts, so a model's state dict is made of the layers' own arrays.
 *
 * <p>Spiking networks run all T time-steps at once on time-major {@code [T*B, ...]} tensors (rows
 * {@code t*B .. t*B+B-1} are time-step t), as {@link io.spikeforge.api.neuron.NeuronModel} does:
 * convolutions, BatchNorm (tdBN) and pooling treat the T*B rows as one batch.
 *
 * <p>Feature maps are NCHW or NHWC ({@link io.spikeforge.engine.layer.ActivationLayout}, one
 * setting per model): the layers that see the channels (convolution, BatchNorm, pooling) are
 * told the layout when they are made; the others work on flat views.
 *
 * <p>Stepwise inference runs a convolution and the batch norm after it as one
 * {@link io.spikeforge.engine.layer.FoldedConvolution} (in evaluation mode batch norm is a
 * per-channel affine map: scaled weights and a bias), writing into a buffer its caller owns.
 *
 * <h2>Decisions, with the evidence behind them (ND4J 1.0.0-M2.1, oneDNN build)</h2>
 * <ul>
 *   <li><b>NHWC activations for float models.</b> libnd4j's {@code conv2d} runs oneDNN's
 *       {@code brgconv}, which computes in NHWC: handed NCHW it reorders input, output buffer and
 *       result on every call (three activation-sized copies, traced with {@code DNNL_VERBOSE});
 *       handed NHWC (data-format argument 1) none. {@code conv2d_bp} reorders to nChw16c in
 *       either layout. The results are the same bits in both layouts (the same kernels on the
 *       same values).</li>
 *   <li><b>Convolution weights are stored {@code [out, in, kH, kW]}</b> (PyTorch's layout) and
 *       passed to {@code conv2d} / {@code conv2d_bp} with weight-format argument 1, instead of
 *       libnd4j's default {@code [kH, kW, in, out]}. Measured before deciding: with format 1, forward,
 *       input gradient and weight gradient equal those of format 0 (to 1e-15 in double, exactly in
 *       float) for kernels 1 and 3, strides 1 and 2, padding 0 and 1, and equal a direct loop
 *       implementation; the float path runs through oneDNN (10x faster forward, 30x faster backward than with helpers
 *       disabled) at the same speed for both formats. The breakage of such weights reported for
 *       SameDiff does not occur with the ops called directly. So the state dict holds the layer's
 *       own contiguous arrays, and optimizers see contiguous parameters. Tests pin this: a direct
 *       loop convolution, finite-difference gradients (double: libnd4j's own kernels) and agreement
 *       of the float oneDNN path with the double path.</li>
 *   <li><b>BatchNorm computes its statistics and gradients itself</b> (see
 *       {@link io.spikeforge.engine.layer.BatchNorm2d}), not with libnd4j's {@code Variance} over
 *       axes 0, 2, 3 and {@code batchnorm} / {@code batchnorm_bp}. Those walk each channel's values
 *       as strided sub-arrays: single-threaded on float [128, 16, 32, 32], Variance takes 12 ms,
 *       batchnorm_bp 17 ms and batchnorm 3 ms, while a BLAS matrix-vector sum over the
 *       {@code [N*C, H*W]} view takes 0.2 ms and a broadcast op with a {@code [1, C, 1]} vector
 *       0.3 to 0.6 ms. The legacy {@code Broadcast*Op}s along dimension 0 of that view are no
 *       alternative (30 ms); the broadcastable custom ops ({@code multiply}, {@code add},
 *       {@code squaredsubtract}) are. A training step of the spiking ResNet 16/32/64 (T=4, batch
 *       32, 2 cores) went from a median of 330-386 ms to 223-225 ms. Dense FLOAT tensors in host memory now take
 *       a fused Java kernel instead ({@code FloatBatchNormKernel}); the
 *       op path above ({@code OpBatchNormKernel}) remains for DOUBLE, strided input and backends
 *       without host memory, and is the reference the kernel is tested against. The layer selects
 *       one of them once, by {@link io.spikeforge.api.kernel.KernelPath}'s rule.</li>
 *   <li><b>Fused element-wise kernels copy cache-sized pieces into heap arrays.</b> Loops over
 *       NIO views of ND4J's off-heap memory are not vectorized by the JIT (an affine pass over 512K
 *       floats: 0.15 ms, against 0.05 ms over heap arrays, also when chunks are bulk-copied there
 *       and back; {@code java tools/kernel-bench/NioVsHeap.java}), so a kernel bulk-copies one
 *       channel (or one chunk of neurons) into heap arrays, runs all its passes there while they
 *       sit in the cache, and copies the result out. Figures for the whole step are in
 *       docs/engine.md.</li>
 *   <li><b>Float convolutions may call oneDNN directly</b> ({@code OneDnnConvolution}, JavaCPP
 *       presets {@code org.bytedeco:dnnl} 2.5.2) instead of {@code conv2d} / {@code conv2d_bp},
 *       whose oneDNN wrapper reorders every activation operand into oneDNN's preferred layout and
 *       back, and always computes the input gradient. Measured (tools/onednn-bench, one step's
 *       convolutions, 2 threads): with NHWC activations the direct path takes 0.44-0.86 of
 *       libnd4j's NCHW time by configuration, but with NCHW activations 1.6-2.6 times it; the stem's
 *       weight gradient alone takes half of libnd4j's backward in either layout. So FLOAT NHWC
 *       layers (the default) run every call on it with explicit {@code nhwc} descriptors, results
 *       agreeing with libnd4j's within float rounding ({@code -Dspikeforge.onednn.nhwc=false} keeps
 *       libnd4j); on NCHW only a layer told to {@link io.spikeforge.engine.layer.Layer#skipInputGradient
 *       skip its input gradient} takes it, for its weight gradient alone, computed by the same oneDNN
 *       kernel on the same layouts and chunks as {@code conv2d_bp}'s, so bit for bit the same. The
 *       backward of strided 1x1 kernels on NHWC (a oneDNN 2.5.2 defect in place) reads copies in
 *       oneDNN's layouts as {@code conv2d_bp} does, its gradients bit for bit, but in buffers kept
 *       across calls: {@code conv2d_bp} allocated and freed its copies on every call, a fresh malloc
 *       heap per training step that the kernel then faulted in page by page.</li>
 * </ul>
 */
package io.spikeforge.engine.layer;
