package io.spikeforge.engine.layer;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_backward_data_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_backward_weights_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_direct;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_engine_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_f32;
import static org.bytedeco.dnnl.global.dnnl.dnnl_format_tag_any;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_inference;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_init_by_tag;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_set_data_handle;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nhwc;
import static org.bytedeco.dnnl.global.dnnl.dnnl_oihw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_execute;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_src_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_weights_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_src_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_weights_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_reorder_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_default_flags;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_wait;
import static org.bytedeco.dnnl.global.dnnl.dnnl_success;
import static org.bytedeco.dnnl.global.dnnl.dnnl_x;

import io.spikeforge.api.kernel.HostKernels;
import io.spikeforge.engine.tensor.OutsideWorkspaces;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link Conv2d}'s fast path for FLOAT: oneDNN's convolution primitives called directly (JavaCPP
 * presets {@code org.bytedeco:dnnl}) on the layer's own ND4J buffers, without copies.
 *
 * <p>libnd4j's {@code conv2d} / {@code conv2d_bp} ask oneDNN for its preferred layouts and reorder
 * every activation operand into them and back on every call (5 activation-sized copies per
 * backward call in NCHW and NHWC alike), and always compute the input gradient. Here, for NHWC
 * activations, every activation operand is described in the layer's own layout (no {@code any}),
 * so oneDNN runs kernels that read and write the layer's buffers in place; only the weights, a few
 * KB, are reordered into the blocked layout the primitives want, once per pass, and the weight
 * gradient back. The input gradient is skipped when the caller passes none (the stem). Where the
 * backward does not run in place (NCHW activations, strided 1x1 kernels, or when asked for
 * libnd4j's gradients) it reads the layouts oneDNN picks, as libnd4j lets it, through copies of
 * input, output gradient and input gradient: conv2d_bp's kernels and its gradients bit for bit,
 * except where conv2d_bp's oneDNN picks Winograd (some 3x3 stride-1 shapes; here always direct).
 * Forward on NCHW runs oneDNN's plain-layout kernel, slower than libnd4j's, so {@link Conv2d} does
 * not call it. tools/onednn-bench and docs/engine.md hold the measurements.
 *
 * <p>Primitives are built once per input shape and kept (a layer sees a few: training, evaluation,
 * a last partial batch); the activation-sized copies live in buffers of the calling thread shared
 * by all instances ({@link Scratch}), so that no call allocates native memory after the first of
 * its shape (libnd4j's conv2d_bp allocated and freed its copies on every call: a fresh 64 MB malloc
 * heap per training step, zero-filled page by page). One instance serves one layer; it is not
 * thread-safe, like the layer.
 */
final class OneDnnConvolution {
    /** System property that turns the fast path off ({@code -Dspikeforge.onednn=false}). */
    static final String ENABLED_PROPERTY = "spikeforge.onednn";
    /**
     * System property that keeps FLOAT NHWC convolutions on libnd4j ({@code
     * -Dspikeforge.onednn.nhwc=false}); by default they run entirely here, forward and backward,
     * with the activations in place. Results differ from libnd4j's within float rounding (other
     * kernels: direct instead of Winograd, nxc instead of 16-channel blocks).
     */
    static final String NHWC_PROPERTY = "spikeforge.onednn.nhwc";

    private final int inChannels;
    private final int outChannels;
    private final int kernelSize;
    private final int stride;
    private final int padding;
    private final boolean withBias;
    private final int activationTag;
    /** Whether both backward passes read and write the caller's buffers (else oneDNN's layouts, through copies). */
    private final boolean backwardInPlace;
    /** Primitives by input shape ([N, C, H, W] or [N, H, W, C], as a list). */
    private final Map<List<Long>, Primitives> byShape = new HashMap<>();

    /**
     * @param channelsLast whether activations are NHWC ({@code [N, H, W, C]}) rather than NCHW
     * @param backwardLikeLibnd4j whether backward reads the layouts oneDNN picks, as libnd4j's
     *     {@code conv2d_bp} lets it (copies of input and output gradient), so that the gradients
     *     equal conv2d_bp's bit for bit in either layout; always so for NCHW, and for strided 1x1
     *     kernels on NHWC: oneDNN 2.5.2's backward-weights kernel for them in place (jit_1x1, nxc)
     *     corrupts memory for odd batch sizes with 2 threads (a crash within a few hundred calls;
     *     batch 1, 3, 5, 127 at 16x16, not 2, 4, 6, 64, 128, not single-threaded, not NCHW, not 3x3)
     */
    OneDnnConvolution(int inChannels, int outChannels, int kernelSize, int stride, int padding, boolean withBias,
            boolean channelsLast, boolean backwardLikeLibnd4j) {
        if (!Native.AVAILABLE) {
            throw new IllegalStateException("oneDNN is not available: " + Native.PROBLEM);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.withBias = withBias;
        this.activationTag = channelsLast ? dnnl_nhwc : dnnl_nchw;
        this.backwardInPlace = channelsLast && !backwardLikeLibnd4j && !(kernelSize == 1 && stride > 1);
    }

    /**
     * Whether a convolution in {@code dataType} can take this path in this process: FLOAT on a
     * host-memory backend, the presets' native library loaded, not turned off by
     * {@value #ENABLED_PROPERTY}.
     */
    static boolean serves(DataType dataType) {
        return dataType == DataType.FLOAT && HostKernels.backendUsesHostMemory() && Native.AVAILABLE
                && !"false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY));
    }

    /** Whether FLOAT NHWC convolutions run entirely on this class (unless {@value #NHWC_PROPERTY} is false). */
    static boolean servesNhwcLayers(DataType dataType) {
        return serves(dataType) && !"false".equalsIgnoreCase(System.getProperty(NHWC_PROPERTY));
    }

    /** Whether this path can read and write {@code tensor} in place (dense FLOAT, host memory). */
    static boolean accepts(INDArray tensor) {
        return HostKernels.isDenseFloat(tensor);
    }

    /**
     * output = input (*) weight (+ bias), the whole batch in one primitive call.
     *
     * @param bias {@code [out]}, or null for a layer without bias
     */
    void forward(INDArray input, INDArray weight, INDArray bias, INDArray output) {
        forward(input, weight, UNVERSIONED, bias, output);
    }

    /** The weights version that is never the same as the last: the weights are laid out again at every call. */
    static final long UNVERSIONED = -1;

    /**
     * {@link #forward(INDArray, INDArray, INDArray, INDArray)} for weights that change rarely: the
     * weights are laid out for the primitive (a reorder, 0.1 ms a call on two threads, more than a
     * small batch's convolution takes) only when {@code weightsVersion} differs from the last call's
     * for this input shape.
     *
     * @param weightsVersion a number the caller changes whenever it changes {@code weight} (or passes
     *     another array); {@link #UNVERSIONED} to lay them out at every call
     */
    void forward(INDArray input, INDArray weight, long weightsVersion, INDArray bias, INDArray output) {
        Primitives p = primitives(input);
        if (weightsVersion == UNVERSIONED || weightsVersion != p.forwardWeightsVersion) {
            p.execute(p.weightsToForward, DNNL_ARG_FROM, p.userWeights.bind(weight), DNNL_ARG_TO,
                    p.forwardWeights.memory);
            p.forwardWeightsVersion = weightsVersion;
        }
        if (bias == null) {
            p.execute(p.forward, DNNL_ARG_SRC, p.source.bind(input), DNNL_ARG_WEIGHTS, p.forwardWeights.memory,
                    DNNL_ARG_DST, p.destination.bind(output));
        } else {
            p.execute(p.forward, DNNL_ARG_SRC, p.source.bind(input), DNNL_ARG_WEIGHTS, p.forwardWeights.memory,
                    DNNL_ARG_BIAS, p.bias.bind(bias), DNNL_ARG_DST, p.destination.bind(output));
        }
        p.await();
    }

    /**
     * Overwrites gradWeight (and gradBias) with this batch's parameter gradients and, unless
     * gradInput is null, gradInput with dL/dinput.
     *
     * @param gradInput shaped like input, or null when the input gradient is not needed
     * @param gradBias {@code [out]}, or null for a layer without bias
     */
    void backward(INDArray input, INDArray weight, INDArray gradOutput, INDArray gradInput, INDArray gradWeight,
            INDArray gradBias) {
        Primitives p = primitives(input);
        // the primitives run synchronously on the calling thread (CPU engine): a memory object or a
        // scratch buffer can be pointed elsewhere as soon as the call that read it has returned
        if (gradInput != null) {
            p.execute(p.weightsToBackwardData, DNNL_ARG_FROM, p.userWeights.bind(weight),
                    DNNL_ARG_TO, p.backwardDataWeights.memory);
            dnnl_memory upstream = p.copyIn(p.dataGradOutput, p.destination.bind(gradOutput));
            dnnl_memory downstream = p.dataGradInput == null ? p.source.bind(gradInput) : p.dataGradInput.stage();
            p.execute(p.backwardData, DNNL_ARG_DIFF_DST, upstream, DNNL_ARG_WEIGHTS, p.backwardDataWeights.memory,
                    DNNL_ARG_DIFF_SRC, downstream);
            if (p.dataGradInput != null) {
                p.execute(p.dataGradInput.transfer, DNNL_ARG_FROM, downstream, DNNL_ARG_TO, p.source.bind(gradInput));
            }
        }
        dnnl_memory source = p.copyIn(p.weightsSource, p.source.bind(input));
        // backward-data's copy of the output gradient serves here too where both picked one layout
        dnnl_memory upstream = gradInput != null && p.weightsGradOutput != null && p.weightsGradOutput == p.dataGradOutput
                ? p.weightsGradOutput.memory : p.copyIn(p.weightsGradOutput, p.destination.bind(gradOutput));
        if (gradBias == null) {
            p.execute(p.backwardWeights, DNNL_ARG_SRC, source, DNNL_ARG_DIFF_DST, upstream,
                    DNNL_ARG_DIFF_WEIGHTS, p.gradientWeights.memory);
        } else {
            p.execute(p.backwardWeights, DNNL_ARG_SRC, source, DNNL_ARG_DIFF_DST, upstream,
                    DNNL_ARG_DIFF_WEIGHTS, p.gradientWeights.memory, DNNL_ARG_DIFF_BIAS, p.bias.bind(gradBias));
        }
        p.execute(p.gradientWeightsToUser, DNNL_ARG_FROM, p.gradientWeights.memory,
                DNNL_ARG_TO, p.userWeights.bind(gradWeight));
        p.await();
    }

    private Primitives primitives(INDArray input) {
        if (input.rank() != 4 || input.size(activationTag == dnnl_nhwc ? 3 : 1) != inChannels) {
            throw new IllegalArgumentException("oneDNN convolution: expected " + inChannels + " input channels in "
                    + (activationTag == dnnl_nhwc ? "NHWC" : "NCHW") + ", got shape " + Arrays.toString(input.shape()));
        }
        long[] shape = input.shape();
        return byShape.computeIfAbsent(List.of(shape[0], shape[1], shape[2], shape[3]), key -> new Primitives(shape[0],
                shape[activationTag == dnnl_nhwc ? 1 : 2], shape[activationTag == dnnl_nhwc ? 2 : 3]));
    }

    private long outputSize(long inputSize) {
        return Math.floorDiv(inputSize + 2L * padding - kernelSize, stride) + 1;
    }

    /** The primitives and memory objects for one input shape. */
    private final class Primitives {
        final dnnl_stream stream = new dnnl_stream();
        final Bound source;
        final Bound destination;
        final Bound bias;
        final Bound userWeights;
        final Owned forwardWeights;
        /** The caller's version of the weights in {@link #forwardWeights}; {@link #UNVERSIONED} for none. */
        long forwardWeightsVersion = UNVERSIONED;
        final Owned backwardDataWeights;
        final Owned gradientWeights;
        final dnnl_primitive forward;
        final dnnl_primitive backwardData;
        final dnnl_primitive backwardWeights;
        final dnnl_primitive weightsToForward;
        final dnnl_primitive weightsToBackwardData;
        final dnnl_primitive gradientWeightsToUser;
        /** The backward passes' copies where they read or write another layout than the caller's; else null. */
        final Staged dataGradOutput;
        final Staged dataGradInput;
        final Staged weightsSource;
        final Staged weightsGradOutput;

        Primitives(long batch, long height, long width) {
            check(dnnl_stream_create(stream, Native.ENGINE, dnnl_stream_default_flags), "stream_create");
            long[] sourceDims = {batch, inChannels, height, width};
            long[] destinationDims = {batch, outChannels, outputSize(height), outputSize(width)};
            long[] weightDims = {outChannels, inChannels, kernelSize, kernelSize};
            long[] strides = {stride, stride};
            long[] paddings = {padding, padding};
            dnnl_memory_desc_t sourceDesc = descriptor(sourceDims, activationTag);
            dnnl_memory_desc_t destinationDesc = descriptor(destinationDims, activationTag);
            dnnl_memory_desc_t anyWeights = descriptor(weightDims, dnnl_format_tag_any);
            dnnl_memory_desc_t userWeightDesc = descriptor(weightDims, dnnl_oihw);
            dnnl_memory_desc_t biasDesc = withBias ? descriptor(new long[] {outChannels}, dnnl_x) : null;

            dnnl_convolution_desc_t forwardOp = new dnnl_convolution_desc_t();
            check(dnnl_convolution_forward_desc_init(forwardOp, dnnl_forward_training, dnnl_convolution_direct,
                    sourceDesc, anyWeights, biasDesc, destinationDesc, strides, paddings, paddings), "forward desc");
            dnnl_primitive_desc forwardPd = primitiveDescriptor(forwardOp, null);
            // in place: every activation operand in the caller's layout. Else the layouts oneDNN picks,
            // with an inference forward as the hint, as libnd4j's conv2d_bp asks: its kernels, its bits
            dnnl_memory_desc_t pickedSource = backwardInPlace ? sourceDesc : descriptor(sourceDims, dnnl_format_tag_any);
            dnnl_memory_desc_t pickedDestination = backwardInPlace ? destinationDesc
                    : descriptor(destinationDims, dnnl_format_tag_any);
            dnnl_primitive_desc hint = forwardPd;
            if (!backwardInPlace) {
                dnnl_convolution_desc_t hintOp = new dnnl_convolution_desc_t();
                check(dnnl_convolution_forward_desc_init(hintOp, dnnl_forward_inference, dnnl_convolution_direct,
                        pickedSource, anyWeights, biasDesc, pickedDestination, strides, paddings, paddings),
                        "forward hint desc");
                hint = primitiveDescriptor(hintOp, null);
            }
            dnnl_convolution_desc_t dataOp = new dnnl_convolution_desc_t();
            check(dnnl_convolution_backward_data_desc_init(dataOp, dnnl_convolution_direct, pickedSource, anyWeights,
                    pickedDestination, strides, paddings, paddings), "backward-data desc");
            dnnl_primitive_desc dataPd = primitiveDescriptor(dataOp, hint);
            dnnl_convolution_desc_t weightsOp = new dnnl_convolution_desc_t();
            check(dnnl_convolution_backward_weights_desc_init(weightsOp, dnnl_convolution_direct, pickedSource,
                    anyWeights, biasDesc, pickedDestination, strides, paddings, paddings), "backward-weights desc");
            dnnl_primitive_desc weightsPd = primitiveDescriptor(weightsOp, hint);
            // the input gradient's copy is dead before the input's is filled: one scratch buffer for both
            dataGradOutput = Staged.operand(dnnl_primitive_desc_query_md(dataPd, dnnl_query_diff_dst_md, 0),
                    destinationDesc, Scratch.OUTPUT_SIDE, null);
            dataGradInput = Staged.result(dnnl_primitive_desc_query_md(dataPd, dnnl_query_diff_src_md, 0),
                    sourceDesc, Scratch.INPUT_SIDE);
            weightsSource = Staged.operand(dnnl_primitive_desc_query_md(weightsPd, dnnl_query_src_md, 0),
                    sourceDesc, Scratch.INPUT_SIDE, null);
            weightsGradOutput = Staged.operand(dnnl_primitive_desc_query_md(weightsPd, dnnl_query_diff_dst_md, 0),
                    destinationDesc, Scratch.OUTPUT_SIDE, dataGradOutput);

            source = new Bound(sourceDesc);
            destination = new Bound(destinationDesc);
            bias = withBias ? new Bound(biasDesc) : null;
            userWeights = new Bound(userWeightDesc);
            forwardWeights = new Owned(dnnl_primitive_desc_query_md(forwardPd, dnnl_query_weights_md, 0));
            backwardDataWeights = new Owned(dnnl_primitive_desc_query_md(dataPd, dnnl_query_weights_md, 0));
            gradientWeights = new Owned(dnnl_primitive_desc_query_md(weightsPd, dnnl_query_diff_weights_md, 0));
            forward = primitive(forwardPd);
            backwardData = primitive(dataPd);
            backwardWeights = primitive(weightsPd);
            weightsToForward = reorder(userWeightDesc, forwardWeights.descriptor);
            weightsToBackwardData = reorder(userWeightDesc, backwardDataWeights.descriptor);
            gradientWeightsToUser = reorder(gradientWeights.descriptor, userWeightDesc);
        }

        void execute(dnnl_primitive primitive, Object... argumentPairs) {
            int count = argumentPairs.length / 2;
            dnnl_exec_arg_t arguments = new dnnl_exec_arg_t(count);
            for (int i = 0; i < count; i++) {
                arguments.position(i).arg((Integer) argumentPairs[2 * i]).memory((dnnl_memory) argumentPairs[2 * i + 1]);
            }
            check(dnnl_primitive_execute(primitive, stream, count, arguments.position(0)), "execute");
            arguments.deallocate();
        }

        /** {@code user} itself where {@code copy} is null, else {@code copy} filled from it. */
        dnnl_memory copyIn(Staged copy, dnnl_memory user) {
            if (copy == null) {
                return user;
            }
            execute(copy.transfer, DNNL_ARG_FROM, user, DNNL_ARG_TO, copy.stage());
            return copy.memory;
        }

        void await() {
            check(dnnl_stream_wait(stream), "stream_wait");
        }
    }

    /** A memory object that is pointed at a caller's ND4J array before each call. */
    private static final class Bound {
        final dnnl_memory memory = new dnnl_memory();
        final long elements;

        Bound(dnnl_memory_desc_t descriptor) {
            check(dnnl_memory_create(memory, descriptor, Native.ENGINE, null), "memory_create");
            this.elements = org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_get_size(descriptor) / Float.BYTES;
        }

        dnnl_memory bind(INDArray array) {
            if (!accepts(array) || array.length() != elements) {
                throw new IllegalArgumentException("oneDNN convolution: expected a dense float array of " + elements
                        + " values, got " + array.shapeInfoToString().replace('\n', ' '));
            }
            // a view's data() is a sub-buffer whose address already includes the view's offset
            check(dnnl_memory_set_data_handle(memory, array.data().addressPointer()), "memory_set_data_handle");
            return memory;
        }
    }

    /** A memory object in a primitive's own (blocked) layout, backed by an ND4J buffer it keeps. */
    private static final class Owned {
        final dnnl_memory_desc_t descriptor = new dnnl_memory_desc_t();
        final INDArray buffer;
        final dnnl_memory memory = new dnnl_memory();

        Owned(dnnl_memory_desc_t queried) {
            // the query answers a pointer into the primitive descriptor: keep a copy
            Pointer.memcpy(descriptor, queried, descriptor.sizeof());
            long bytes = org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_get_size(descriptor);
            buffer = OutsideWorkspaces.zeros(DataType.FLOAT, Math.max(1, bytes / Float.BYTES));
            check(dnnl_memory_create(memory, descriptor, Native.ENGINE, buffer.data().addressPointer()), "memory_create");
        }
    }

    /**
     * A memory object in a primitive's own layout for an activation operand, backed by the calling
     * thread's scratch buffer for its side, with the reorder that fills it from the caller's layout
     * or, for a result, copies it back.
     */
    private static final class Staged {
        final dnnl_memory_desc_t descriptor = new dnnl_memory_desc_t();
        final dnnl_memory memory = new dnnl_memory();
        final Scratch side;
        final long bytes;
        final dnnl_primitive transfer;

        private Staged(dnnl_memory_desc_t queried, dnnl_memory_desc_t user, Scratch side, boolean result) {
            // the query answers a pointer into the primitive descriptor: keep a copy
            Pointer.memcpy(descriptor, queried, descriptor.sizeof());
            this.side = side;
            this.bytes = org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_get_size(descriptor);
            check(dnnl_memory_create(memory, descriptor, Native.ENGINE, null), "memory_create");
            this.transfer = result ? reorder(descriptor, user) : reorder(user, descriptor);
        }

        /**
         * A copy of an operand in {@code wanted} on {@code side}: null where {@code wanted} is the
         * caller's layout, {@code same} where that copy is already in it.
         */
        static Staged operand(dnnl_memory_desc_t wanted, dnnl_memory_desc_t user, Scratch side, Staged same) {
            if (org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_equal(wanted, user) == 1) {
                return null;
            }
            if (same != null && org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_equal(wanted, same.descriptor) == 1) {
                return same;
            }
            return new Staged(wanted, user, side, false);
        }

        /** A copy of a result in {@code wanted} on {@code side}, or null where that is the caller's layout. */
        static Staged result(dnnl_memory_desc_t wanted, dnnl_memory_desc_t user, Scratch side) {
            return org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_equal(wanted, user) == 1 ? null
                    : new Staged(wanted, user, side, true);
        }

        /** Points the memory object at its side's scratch buffer, which it holds until the next stage of that side. */
        dnnl_memory stage() {
            check(dnnl_memory_set_data_handle(memory, side.buffer(bytes)), "memory_set_data_handle");
            return memory;
        }
    }

    /**
     * The calling thread's buffers for the backward passes' activation copies, one per side (input
     * side: the input gradient's copy, then the input's; output side: the output gradient's), each
     * as large as the largest copy any convolution of the thread has asked for. Shared rather than
     * owned per shape: a call uses them only until it returns, and a network's copies then cost one
     * layer's, as libnd4j's allocations did, without an allocation per call.
     */
    private enum Scratch {
        INPUT_SIDE, OUTPUT_SIDE;

        private static final ThreadLocal<Map<Scratch, INDArray>> BUFFERS =
                ThreadLocal.withInitial(() -> new EnumMap<>(Scratch.class));

        Pointer buffer(long bytes) {
            Map<Scratch, INDArray> buffers = BUFFERS.get();
            INDArray buffer = buffers.get(this);
            if (buffer == null || buffer.length() * Float.BYTES < bytes) {
                if (buffer != null && buffer.closeable()) {
                    buffer.close(); // grown: free the smaller one now rather than at a later collection
                }
                buffer = OutsideWorkspaces.zeros(DataType.FLOAT, Math.max(1, (bytes + Float.BYTES - 1) / Float.BYTES));
                buffers.put(this, buffer);
            }
            return buffer.data().addressPointer();
        }
    }

    private static dnnl_memory_desc_t descriptor(long[] dims, int tag) {
        dnnl_memory_desc_t descriptor = new dnnl_memory_desc_t();
        check(dnnl_memory_desc_init_by_tag(descriptor, dims.length, dims, dnnl_f32, tag), "memory_desc_init_by_tag");
        return descriptor;
    }

    private static dnnl_primitive_desc primitiveDescriptor(dnnl_convolution_desc_t op, dnnl_primitive_desc hint) {
        dnnl_primitive_desc descriptor = new dnnl_primitive_desc();
        check(dnnl_primitive_desc_create(descriptor, new const_dnnl_op_desc_t(op), null, Native.ENGINE, hint),
                "primitive_desc_create");
        return descriptor;
    }

    private static dnnl_primitive primitive(dnnl_primitive_desc descriptor) {
        dnnl_primitive primitive = new dnnl_primitive();
        check(dnnl_primitive_create(primitive, descriptor), "primitive_create");
        return primitive;
    }

    private static dnnl_primitive reorder(dnnl_memory_desc_t from, dnnl_memory_desc_t to) {
        dnnl_primitive_desc descriptor = new dnnl_primitive_desc();
        check(dnnl_reorder_primitive_desc_create(descriptor, from, Native.ENGINE, to, Native.ENGINE, null),
                "reorder_primitive_desc_create");
        return primitive(descriptor);
    }

    private static void check(int status, String call) {
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN " + call + " failed with status " + status);
        }
    }

    /** The presets' native library and the CPU engine, loaded once; absent where they cannot load. */
    private static final class Native {
        static final boolean AVAILABLE;
        static final String PROBLEM;
        static final dnnl_engine ENGINE;

        static {
            dnnl_engine engine = null;
            String problem = null;
            try {
                Loader.load(org.bytedeco.dnnl.global.dnnl.class);
                engine = new dnnl_engine();
                check(dnnl_engine_create(engine, dnnl_cpu, 0), "engine_create");
            } catch (RuntimeException | LinkageError e) {
                problem = e.toString();
                engine = null;
            }
            ENGINE = engine;
            PROBLEM = problem;
            AVAILABLE = engine != null;
        }
    }

    static {
        // ND4J first: its libgomp is the OpenMP runtime both oneDNN copies then share (one thread pool)
        Nd4j.getBackend();
    }
}
