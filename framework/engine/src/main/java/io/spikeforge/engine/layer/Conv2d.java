package io.spikeforge.engine.layer;

import io.spikeforge.api.model.Parameter;
import io.spikeforge.engine.energy.OperationCounter;
import io.spikeforge.engine.tensor.BufferCache;
import io.spikeforge.engine.tensor.KernelTimer;
import io.spikeforge.engine.tensor.OutsideWorkspaces;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * 2-D convolution of NCHW or NHWC batches ({@link ActivationLayout}) with a square kernel, like
 * PyTorch's {@code nn.Conv2d} without dilation or groups; libnd4j's {@code conv2d} and
 * {@code conv2d_bp} (oneDNN for float), told the layout by their data-format argument.
 *
 * <p>The weight is stored {@code [out, in, kH, kW]}, PyTorch's layout, and handed to libnd4j with
 * its weight-format argument set to that layout (see the package documentation). Initialization is
 * PyTorch's default. Training-mode forward keeps a reference to the input for the backward pass.
 */
public final class Conv2d implements Layer {
    private static final String NAME = "Conv2d";
    /** libnd4j weight-format argument for [oC, iC, kH, kW]. */
    private static final int WEIGHT_FORMAT_OIHW = 1;
    /** libnd4j padding mode that applies the explicit padding as given (not SAME). */
    private static final int EXPLICIT_PADDING = 0;
    private static final int NO_DILATION = 1;
    /**
     * The most samples one {@code conv2d_bp} call gets; larger batches are split. oneDNN picks
     * Winograd kernels for the backward pass of 3x3 stride-1 convolutions, whose working set grows
     * with the batch: single-threaded, 16 to 16 channels at 32x32, the gradients of 128 samples
     * take 35 ms in one call and 14-15 ms in two or four; 128 to 128 channels at 16x16, 134 ms in
     * one call and 80 ms in two (2 threads). Other shapes take about as long either way. The same
     * in either layout: libnd4j asks oneDNN for its preferred backward layout, which is blocked
     * (nChw16c) for NCHW and NHWC activations alike, so both reorder every backward operand. The
     * split also sets the order in which the weight gradient is summed over the batch, so changing
     * it changes the float results.
     */
    public static final long BACKWARD_CHUNK = 64;
    /**
     * The most samples one {@code conv2d} call gets; larger batches are split. oneDNN's forward
     * kernel (brgconv) computes in NHWC. Handed NCHW, it works on copies of input and output
     * reordered from NCHW; for 128 samples of 16 channels at 32x32 those are 8 MB each and the call
     * takes twice as long per sample as for 32 samples: single-threaded, 16 to 16 channels 12.8 ms
     * (median; min 6.2) in one call and 5.1-5.6 ms in four, 16 to 32 channels with stride 2
     * 6.0-8.3 ms and 3.0-3.2 ms. The smaller maps of later stages take about as long either way.
     * Handed NHWC there are no copies, and the chunk is {@link #FORWARD_CHUNK_NHWC}.
     */
    public static final long FORWARD_CHUNK = 32;
    /**
     * {@link #FORWARD_CHUNK} for NHWC activations, which oneDNN reads and writes in place: without
     * the copies larger calls are not slower per sample but a little faster. 128 samples, 2
     * threads, machine under load (medians of 15 with min, ms), in chunks of 16 / 32 / 64 / 128:
     * 16 to 16 channels at 32x32 6.8 / 5.3 / 4.9 / 4.8 (min 4.7); 16 to 32 with stride 2
     * 4.2 / 3.2 / 2.8 / 2.5; 32 to 32 at 16x16 4.6 / 4.1 / 3.8 / 3.7; 64 to 64 at 8x8
     * 3.8 / 3.3 / 3.2 / 3.1. A sample's output does not depend on the chunk (each is computed on
     * its own), so the split does not change results.
     */
    public static final long FORWARD_CHUNK_NHWC = 128;

    /**
     * System property that, set to {@code false}, keeps FLOAT NHWC layers on libnd4j's conv2d /
     * conv2d_bp instead of oneDNN called directly (whose float results differ within rounding).
     */
    public static final String DIRECT_ONEDNN_PROPERTY = OneDnnConvolution.NHWC_PROPERTY;

    private final int inChannels;
    private final int outChannels;
    private final int kernelSize;
    private final int stride;
    private final int padding;
    private final DataType dataType;
    /** The activations' layout; a faster implementation for a layout would be chosen behind it. */
    private final ActivationLayout layout;
    private final long forwardChunk;
    private final Parameter weight;
    private final Parameter bias;
    /** libnd4j's integer arguments for conv2d / conv2d_bp (also {@link FoldedConvolution}'s). */
    final int[] opArguments;
    private final BufferCache buffers = new BufferCache();
    /** Where backward's result lives: {@link #buffers}, or a pool shared with other layers. */
    private BufferCache gradientBuffers = buffers;
    private String gradientRole = "gradInput";
    private INDArray savedInput;
    private INDArray lastOutput;
    private OperationCounter operations;
    /**
     * oneDNN called directly with the activations in place, for every call of a FLOAT NHWC layer
     * when asked for ({@link #wholeLayerOnOneDnn}); built at the first such call, else null, so that
     * layers that never take it do not load its native library.
     */
    private OneDnnConvolution oneDnn;
    /**
     * oneDNN called directly for the weight gradient alone, with conv2d_bp's kernel and bits
     * ({@link #weightsOnlyOnOneDnn}); built at the first such call, else null.
     */
    private OneDnnConvolution oneDnnWeights;
    private boolean inputGradientNeeded = true;

    /**
     * Creates the layer with PyTorch's default initialization.
     *
     * @param inChannels input channels
     * @param outChannels output channels
     * @param kernelSize kernel height and width
     * @param stride step in both directions
     * @param padding zeros added on every side
     * @param withBias whether the layer has a {@code bias} parameter
     * @param dataType float for training, double for gradient checks
     */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, boolean withBias,
            DataType dataType) {
        this(inChannels, outChannels, kernelSize, stride, padding, withBias, dataType, ActivationLayout.NCHW);
    }

    /**
     * Creates the layer with PyTorch's default initialization, for activations in {@code layout}.
     *
     * @param inChannels input channels
     * @param outChannels output channels
     * @param kernelSize kernel height and width
     * @param stride step in both directions
     * @param padding zeros added on every side
     * @param withBias whether the layer has a {@code bias} parameter
     * @param dataType float for training, double for gradient checks
     * @param layout the layout of input and output; the weight is {@code [out, in, kH, kW]} in either
     */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, boolean withBias,
            DataType dataType, ActivationLayout layout) {
        Checks.requirePositive("inChannels", inChannels);
        Checks.requirePositive("outChannels", outChannels);
        Checks.requirePositive("kernelSize", kernelSize);
        Checks.requirePositive("stride", stride);
        if (padding < 0) {
            throw new IllegalArgumentException("padding must not be negative, got " + padding);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.dataType = dataType;
        this.layout = Objects.requireNonNull(layout, "layout");
        this.forwardChunk = layout == ActivationLayout.NHWC ? FORWARD_CHUNK_NHWC : FORWARD_CHUNK;
        long fanIn = (long) inChannels * kernelSize * kernelSize;
        INDArray weightValue = OutsideWorkspaces.zeros(dataType, outChannels, inChannels, kernelSize, kernelSize);
        Initialization.uniformFanIn(weightValue, fanIn);
        this.weight = new Parameter("weight", weightValue);
        if (withBias) {
            INDArray biasValue = OutsideWorkspaces.zeros(dataType, outChannels);
            Initialization.uniformFanIn(biasValue, fanIn);
            this.bias = new Parameter("bias", biasValue);
        } else {
            this.bias = null;
        }
        this.opArguments = new int[] {kernelSize, kernelSize, stride, stride, padding, padding,
            NO_DILATION, NO_DILATION, EXPLICIT_PADDING, layout.libnd4jDataFormat(), WEIGHT_FORMAT_OIHW};
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        Checks.requireInput(NAME, input, dataType, 4);
        long channels = input.size(layout.channelAxis());
        if (channels != inChannels) {
            throw new IllegalArgumentException(NAME + " expects " + inChannels + " input channels but got " + channels
                    + " (" + layout + " input " + Arrays.toString(input.shape()) + ")");
        }
        long height = input.size(layout.heightAxis());
        long width = input.size(layout.widthAxis());
        long outHeight = outputSize(height);
        long outWidth = outputSize(width);
        if (outHeight <= 0 || outWidth <= 0) {
            throw new IllegalArgumentException(NAME + ": input " + height + "x" + width
                    + " is smaller than the kernel " + kernelSize + " with padding " + padding);
        }
        INDArray output = buffers.get("output", dataType, layout.shape(input.size(0), outChannels, outHeight, outWidth));
        long samples = input.size(0);
        long chunks = (samples + forwardChunk - 1) / forwardChunk;
        long started = KernelTimer.start();
        boolean direct = wholeLayerOnOneDnn(input, output);
        for (long chunk = 0; chunk < chunks; chunk++) {
            // chunk sizes differ by at most one sample where the batch does not divide
            long from = chunk * samples / chunks;
            long to = (chunk + 1) * samples / chunks;
            INDArray in = chunks == 1 ? input : input.get(NDArrayIndex.interval(from, to));
            INDArray out = chunks == 1 ? output : output.get(NDArrayIndex.interval(from, to));
            if (direct) {
                oneDnn.forward(in, weight.value(), bias == null ? null : bias.value(), out);
                continue;
            }
            // the op builder replaces, not appends, its inputs: pass them in one call
            INDArray[] inputs = bias == null
                    ? new INDArray[] {in, weight.value()}
                    : new INDArray[] {in, weight.value(), bias.value()};
            Nd4j.exec(DynamicCustomOp.builder("conv2d")
                    .addInputs(inputs)
                    .addOutputs(out)
                    .addIntegerArguments(opArguments)
                    .build());
        }
        KernelTimer.stop(KernelTimer.Kind.CONVOLUTION, started);
        if (!training) {
            countEvaluation(input, outHeight, outWidth);
        }
        savedInput = training ? input : null;
        lastOutput = output;
        return output;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        Checks.requireForwardState(NAME, savedInput != null);
        Checks.requireShape(NAME, "gradOutput", gradOutput, lastOutput.shape());
        INDArray gradWeight = buffers.get("gradWeight", dataType, weight.value().shape());
        INDArray gradBias = bias == null ? null : buffers.get("gradBias", dataType, outChannels);
        long started = KernelTimer.start();
        boolean direct = wholeLayerOnOneDnn(savedInput, gradOutput);
        boolean weightsOnly = !direct && weightsOnlyOnOneDnn(savedInput, gradOutput);
        INDArray gradInput = weightsOnly || (direct && !inputGradientNeeded) ? null
                : gradientBuffers.get(gradientRole, dataType, savedInput.shape());
        long samples = savedInput.size(0);
        long chunks = (samples + BACKWARD_CHUNK - 1) / BACKWARD_CHUNK;
        for (long chunk = 0; chunk < chunks; chunk++) {
            // equal chunks, the first ones one sample larger where the batch does not divide
            long from = chunk * samples / chunks;
            long to = (chunk + 1) * samples / chunks;
            INDArray input = chunks == 1 ? savedInput : savedInput.get(NDArrayIndex.interval(from, to));
            INDArray gradOut = chunks == 1 ? gradOutput : gradOutput.get(NDArrayIndex.interval(from, to));
            if (direct) {
                INDArray gradIn = gradInput == null ? null
                        : chunks == 1 ? gradInput : gradInput.get(NDArrayIndex.interval(from, to));
                oneDnn.backward(input, weight.value(), gradOut, gradIn, gradWeight, gradBias);
            } else if (weightsOnly) {
                // the same chunks and kernel as conv2d_bp's weight gradient: the same float sums
                oneDnnWeights.backward(input, weight.value(), gradOut, null, gradWeight, gradBias);
            } else {
                INDArray gradIn = chunks == 1 ? gradInput : gradInput.get(NDArrayIndex.interval(from, to));
                INDArray[] inputs = bias == null
                        ? new INDArray[] {input, weight.value(), gradOut}
                        : new INDArray[] {input, weight.value(), bias.value(), gradOut};
                INDArray[] outputs = bias == null
                        ? new INDArray[] {gradIn, gradWeight}
                        : new INDArray[] {gradIn, gradWeight, gradBias};
                Nd4j.exec(DynamicCustomOp.builder("conv2d_bp")
                        .addInputs(inputs)
                        .addOutputs(outputs)
                        .addIntegerArguments(opArguments)
                        .build());
            }
            // conv2d_bp overwrites its outputs; parameter gradients accumulate across chunks and calls
            weight.gradient().addi(gradWeight);
            if (bias != null) {
                bias.gradient().addi(gradBias);
            }
        }
        KernelTimer.stop(KernelTimer.Kind.CONVOLUTION, started);
        return gradInput;
    }

    /**
     * Makes {@link #backward} write its result into {@code pool}'s buffer for {@code role}, a cache
     * shared with other layers, instead of a buffer of this layer: a model whose gradients are
     * consumed as soon as they are made needs a few such buffers per shape instead of one per layer.
     * The result then stays valid only until a layer sharing the pool writes the same role and
     * shape; the model that sets this up orders its layers so that no gradient still in use is
     * overwritten.
     */
    public void useGradientPool(BufferCache pool, String role) {
        this.gradientBuffers = Objects.requireNonNull(pool, "pool");
        this.gradientRole = Objects.requireNonNull(role, "role");
    }

    /**
     * {@inheritDoc} On the FLOAT path {@link #backward} then computes only the parameter gradients,
     * with oneDNN's backward-weights alone, and returns null. DOUBLE (gradient checks) computes and
     * returns it regardless: libnd4j's {@code conv2d_bp} always does.
     */
    @Override
    public void skipInputGradient() {
        this.inputGradientNeeded = false;
    }

    /** Counts the operations of this layer's evaluation-mode forward passes into {@code counter}. */
    public void countOperations(OperationCounter counter) {
        this.operations = Objects.requireNonNull(counter, "counter");
    }

    @Override
    public List<Parameter> parameters() {
        return bias == null ? List.of(weight) : List.of(weight, bias);
    }

    /** The weight, {@code [out, in, kH, kW]}. */
    public Parameter weight() {
        return weight;
    }

    /** The bias, {@code [out]}, when the layer has one. */
    public Optional<Parameter> bias() {
        return Optional.ofNullable(bias);
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    public int kernelSize() {
        return kernelSize;
    }

    public int stride() {
        return stride;
    }

    public int padding() {
        return padding;
    }

    /** The layout of the activations this layer takes and makes. */
    public ActivationLayout layout() {
        return layout;
    }

    /**
     * The elements of the temporary copies oneDNN makes in one call of a convolution, for memory
     * estimates: forward, the chunk's input and output reordered to NHWC and back when the
     * activations are NCHW (none for NHWC); backward, in either layout, the chunk's input and
     * output gradient (twice) reordered to a blocked layout and the input gradient back. Weight
     * copies are left out (kilobytes).
     *
     * @param samples rows of the convolution's input
     * @param inputSize elements of one input sample
     * @param outputSize elements of one output sample
     * @param training whether the backward runs too
     */
    public static double workspaceElements(ActivationLayout layout, double samples, double inputSize,
            double outputSize, boolean training) {
        double forward = layout == ActivationLayout.NCHW ? Math.min(samples, FORWARD_CHUNK) * (inputSize + outputSize) : 0;
        double backward = training ? Math.min(samples, BACKWARD_CHUNK) * (2 * inputSize + outputSize) : 0;
        return Math.max(forward, backward);
    }

    /** Whether a call has run on oneDNN directly with the activations in place (for tests). */
    boolean ranWholeLayerOnOneDnn() {
        return oneDnn != null;
    }

    /**
     * Whether this call runs on {@link #oneDnn} with the activations in place: FLOAT, NHWC, not
     * turned off ({@link OneDnnConvolution#NHWC_PROPERTY}; tools/onednn-bench: 0.5-0.8 of libnd4j's
     * NHWC convolution time per step), every tensor dense. The backward of strided 1x1 kernels
     * reads copies in oneDNN's layouts there, as libnd4j's conv2d_bp did (a oneDNN 2.5.2 defect).
     */
    private boolean wholeLayerOnOneDnn(INDArray... tensors) {
        if (layout != ActivationLayout.NHWC || !OneDnnConvolution.servesNhwcLayers(dataType)) {
            return false;
        }
        if (oneDnn == null) {
            oneDnn = new OneDnnConvolution(inChannels, outChannels, kernelSize, stride, padding, bias != null, true,
                    false);
        }
        for (INDArray tensor : tensors) {
            if (!OneDnnConvolution.accepts(tensor)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether this backward computes the weight gradient alone on {@link #oneDnnWeights}: a FLOAT layer told
     * to skip its input gradient (libnd4j's {@code conv2d_bp} always computes it). Only then: on NCHW
     * activations oneDNN's direct kernels are slower than libnd4j's (tools/onednn-bench: 1.6-2.6x
     * the convolution time of a step); with NHWC activations they would pay for every call.
     */
    private boolean weightsOnlyOnOneDnn(INDArray... tensors) {
        if (inputGradientNeeded || dataType != DataType.FLOAT) {
            return false;
        }
        if (oneDnnWeights == null) {
            if (!OneDnnConvolution.serves(dataType)) {
                return false;
            }
            // libnd4j's weight-gradient kernel in either layout: the same gradients as conv2d_bp
            oneDnnWeights = new OneDnnConvolution(inChannels, outChannels, kernelSize, stride, padding, bias != null,
                    layout == ActivationLayout.NHWC, true);
        }
        for (INDArray tensor : tensors) {
            if (!OneDnnConvolution.accepts(tensor)) {
                return false;
            }
        }
        return true;
    }

    /** Counts an evaluation forward of {@code input} into the operation counter, if any (also {@link FoldedConvolution}'s). */
    void countEvaluation(INDArray input, long outHeight, long outWidth) {
        if (operations != null) {
            operations.count(input, outChannels * outHeight * outWidth * inChannels * kernelSize * kernelSize);
        }
    }

    /** The output height or width for an input height or width. */
    long outputSize(long inputSize) {
        return Math.floorDiv(inputSize + 2L * padding - kernelSize, stride) + 1;
    }
}
