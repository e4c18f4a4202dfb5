package io.spikeforge.engine.layer;

import io.spikeforge.api.model.Parameter;
import io.spikeforge.engine.energy.OperationCounter;
import io.spikeforge.engine.tensor.BufferCache;
import io.spikeforge.engine.tensor.KernelTimer;
import io.spikeforge.engine.tensor.OutsideWorkspaces;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * 2-D convolution of NCHW batches with a square kernel, like PyTorch's {@code nn.Conv2d} without
 * dilation or groups; libnd4j's {@code conv2d} and {@code conv2d_bp} (oneDNN for float).
 *
 * <p>The weight is stored {@code [out, in, kH, kW]}, PyTorch's layout, and handed to libnd4j with
 * its weight-format argument set to that layout (see the package documentation). Initialization is
 * PyTorch's default. Training-mode forward keeps a reference to the input for the backward pass.
 */
public final class Conv2d implements Layer {
    private static final String NAME = "Conv2d";
    /** libnd4j weight-format argument for [oC, iC, kH, kW]. */
    private static final int WEIGHT_FORMAT_OIHW = 1;
    /** libnd4j data-format argument for NCHW. */
    private static final int DATA_FORMAT_NCHW = 0;
    /** libnd4j padding mode that applies the explicit padding as given (not SAME). */
    private static final int EXPLICIT_PADDING = 0;
    private static final int NO_DILATION = 1;
    /**
     * The most samples one {@code conv2d_bp} call gets; larger batches are split. oneDNN picks
     * Winograd kernels for the backward pass of 3x3 stride-1 convolutions, whose working set grows
     * with the batch: single-threaded, 16 to 16 channels at 32x32, the gradients of 128 samples
     * take 35 ms in one call and 14-15 ms in two or four; 128 to 128 channels at 16x16, 134 ms in
     * one call and 80 ms in two (2 threads). Other shapes take about as long either way.
     */
    public static final long BACKWARD_CHUNK = 64;
    /**
     * The most samples one {@code conv2d} call gets; larger batches are split. oneDNN's forward
     * kernel (brgconv, NHWC inside) works on copies of input and output reordered from NCHW; for
     * 128 samples of 16 channels at 32x32 those are 8 MB each and the call takes twice as long per
     * sample as for 32 samples: single-threaded, 16 to 16 channels 12.8 ms (median; min 6.2) in one
     * call and 5.1-5.6 ms in four, 16 to 32 channels with stride 2 6.0-8.3 ms and 3.0-3.2 ms. The
     * smaller maps of later stages take about as long either way.
     */
    public static final long FORWARD_CHUNK = 32;

    private final int inChannels;
    private final int outChannels;
    private final int kernelSize;
    private final int stride;
    private final int padding;
    private final DataType dataType;
    private final Parameter weight;
    private final Parameter bias;
    private final int[] opArguments;
    private final BufferCache buffers = new BufferCache();
    /** Where backward's result lives: {@link #buffers}, or a pool shared with other layers. */
    private BufferCache gradientBuffers = buffers;
    private String gradientRole = "gradInput";
    private INDArray savedInput;
    private INDArray lastOutput;
    private OperationCounter operations;
    /**
     * oneDNN called directly, chosen once, at the first call that would take it (see
     * {@link #onOneDnn}): FLOAT where the presets load; until then (and for DOUBLE) null, so that
     * layers that never take it do not load its native library.
     */
    private OneDnnConvolution oneDnn;
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
            NO_DILATION, NO_DILATION, EXPLICIT_PADDING, DATA_FORMAT_NCHW, WEIGHT_FORMAT_OIHW};
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        Checks.requireInput(NAME, input, dataType, 4);
        if (input.size(1) != inChannels) {
            throw new IllegalArgumentException(NAME + " expects " + inChannels + " input channels but got " + input.size(1));
        }
        long outHeight = outputSize(input.size(2));
        long outWidth = outputSize(input.size(3));
        if (outHeight <= 0 || outWidth <= 0) {
            throw new IllegalArgumentException(NAME + ": input " + input.size(2) + "x" + input.size(3)
                    + " is smaller than the kernel " + kernelSize + " with padding " + padding);
        }
        INDArray output = buffers.get("output", dataType, input.size(0), outChannels, outHeight, outWidth);
        long samples = input.size(0);
        long chunks = (samples + FORWARD_CHUNK - 1) / FORWARD_CHUNK;
        long started = KernelTimer.start();
        for (long chunk = 0; chunk < chunks; chunk++) {
            // chunk sizes differ by at most one sample where the batch does not divide
            long from = chunk * samples / chunks;
            long to = (chunk + 1) * samples / chunks;
            INDArray in = chunks == 1 ? input : input.get(NDArrayIndex.interval(from, to));
            INDArray out = chunks == 1 ? output : output.get(NDArrayIndex.interval(from, to));
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
        if (!training && operations != null) {
            operations.count(input, outChannels * outHeight * outWidth * inChannels * kernelSize * kernelSize);
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
        boolean weightsOnly = weightsOnlyOnOneDnn(savedInput, gradOutput);
        INDArray gradInput = weightsOnly ? null : gradientBuffers.get(gradientRole, dataType, savedInput.shape());
        long samples = savedInput.size(0);
        long chunks = (samples + BACKWARD_CHUNK - 1) / BACKWARD_CHUNK;
        for (long chunk = 0; chunk < chunks; chunk++) {
            // equal chunks, the first ones one sample larger where the batch does not divide
            long from = chunk * samples / chunks;
            long to = (chunk + 1) * samples / chunks;
            INDArray input = chunks == 1 ? savedInput : savedInput.get(NDArrayIndex.interval(from, to));
            INDArray gradOut = chunks == 1 ? gradOutput : gradOutput.get(NDArrayIndex.interval(from, to));
            if (weightsOnly) {
                // the same chunks and kernel as conv2d_bp's weight gradient: the same float sums
                oneDnn.backward(input, weight.value(), gradOut, null, gradWeight, gradBias);
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

    /**
     * Whether this backward computes the weight gradient alone on {@link #oneDnn}: a FLOAT layer told
     * to skip its input gradient (libnd4j's {@code conv2d_bp} always computes it). Only then: on NCHW
     * activations oneDNN's direct kernels are slower than libnd4j's (tools/onednn-bench: 1.6-2.6x
     * the convolution time of a step); with NHWC activations they would pay for every call.
     */
    private boolean weightsOnlyOnOneDnn(INDArray... tensors) {
        if (inputGradientNeeded || dataType != DataType.FLOAT) {
            return false;
        }
        if (oneDnn == null) {
            if (!OneDnnConvolution.serves(dataType)) {
                return false;
            }
            oneDnn = new OneDnnConvolution(inChannels, outChannels, kernelSize, stride, padding, bias != null, false);
        }
        for (INDArray tensor : tensors) {
            if (!OneDnnConvolution.accepts(tensor)) {
                return false;
            }
        }
        return true;
    }

    private long outputSize(long inputSize) {
        return Math.floorDiv(inputSize + 2L * padding - kernelSize, stride) + 1;
    }
}
