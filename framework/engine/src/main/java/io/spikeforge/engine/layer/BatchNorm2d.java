package io.spikeforge.engine.layer;

import io.spikeforge.api.model.Parameter;
import io.spikeforge.api.kernel.HostKernels;
import io.spikeforge.api.kernel.KernelPath;
import io.spikeforge.api.neuron.ChannelAffine;
import io.spikeforge.engine.tensor.BufferCache;
import io.spikeforge.engine.tensor.KernelTimer;
import io.spikeforge.engine.tensor.OutsideWorkspaces;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Batch normalization of NCHW or NHWC batches ({@link ActivationLayout}) with PyTorch's semantics ({@code nn.BatchNorm2d}, momentum
 * 0.1, eps 1e-5): training mode normalizes with the batch's per-channel mean and biased variance and
 * updates the running statistics as {@code running = (1 - m) * running + m * batch}, with the
 * unbiased variance for {@code running_var}; evaluation mode normalizes with the running
 * statistics. Affine {@code weight} and {@code bias} per channel.
 *
 * <p>Two flavours:
 * <ul>
 *   <li>{@link #standard}: statistics per channel over batch, height and width of {@code [N, C, H, W]}.</li>
 *   <li>{@link #timeMajor}: tdBN for spiking networks. The input is time-major {@code [T*B, C, H, W]}
 *       and the statistics are per channel over time, batch, height and width together. Because the
 *       time steps are stacked along the batch axis, that is exactly the standard computation on the
 *       merged {@code T*B} batch; this flavour checks the time-major shape and takes the initial
 *       weight (tdBN's alpha * V_threshold, such as 0.5).</li>
 * </ul>
 *
 * <p>Two implementations compute the passes, one per {@link KernelPath} ({@link BatchNormKernel}):
 * {@link FloatBatchNormKernel}, fused Java loops over host memory, and {@link OpBatchNormKernel},
 * ND4J ops (see the package documentation for why not libnd4j's {@code batchnorm} ops), and for
 * NHWC {@link ChannelsLastFloatBatchNormKernel}, whose float results equal the NCHW kernel's bit for
 * bit. The layer
 * selects one when it is built, by {@link KernelPath#select}'s rule on the backend and the data
 * type ({@link #kernelPath()}); a call whose tensors that path does not accept (strided views) is
 * computed by the ops. Per-channel statistics and coefficients are computed in double. With
 * M = N*H*W values per channel, mean mu, variance var, sigma = sqrt(var + eps) and
 * xhat = (x - mu) / sigma:
 * <ul>
 *   <li>Forward: mu = sum(x) / M; var = sum((x - mu)^2) / M, two passes over centered values, so
 *       the variance has no cancellation (the one-pass E[x^2] - mu^2 loses a relative
 *       (mu / sigma)^2 * float epsilon, which matters for channels with a large offset); then
 *       y = x * a + b with a = gamma / sigma, b = beta - mu * a.</li>
 *   <li>Backward, including the dependence of mu and var on x: with Sdy = sum(dy) and
 *       Sdyx = sum(dy * (x - mu)) = sum(dy * x) - mu * Sdy,
 *       dbeta = Sdy, dgamma = Sdyx / sigma and
 *       dx = gamma / sigma * (dy - Sdy / M - xhat * dgamma / M)
 *          = p * (dy + k * x + c) with p = gamma / sigma, k = -Sdyx / (M * sigma^2),
 *       c = -Sdy / M - k * mu. Factoring p out leaves coefficients that do not involve gamma, so
 *       gamma = 0 needs no special case. Sdyx is taken from uncentered sums: its rounding error is
 *       about float epsilon * |mu| / sigma relative to the gradient's own scale (first power, unlike
 *       the variance), far below the noise of a stochastic gradient.</li>
 * </ul>
 * Training-mode forward keeps a reference to the input and the batch statistics, nothing else.
 *
 * <p>Where spiking neurons take this layer's output directly, a model may skip the output pass
 * ({@link #forwardDeferred}): the layer computes its statistics and hands the neurons the
 * coefficients {@code a} and {@code b}, which they apply to each chunk of the input as they read
 * it, so the output tensor is never written (one pass and one buffer the size of the input fewer).
 */
public final class BatchNorm2d implements Layer {
    /** Weight of the current batch in the running statistics, PyTorch's default. */
    public static final double MOMENTUM = 0.1;
    /** Added to the variance before the square root, PyTorch's default. */
    public static final double EPSILON = 1e-5;

    private static final String NAME = "BatchNorm2d";

    private final int channels;
    private final int timeSteps;
    private final DataType dataType;
    private final ActivationLayout layout;
    /** The implementation selected for this layer's data type on this backend. */
    private final BatchNormKernel kernel;
    /** The ops, for calls whose tensors {@link #kernel} does not accept; {@link #kernel} itself on that path. */
    private final BatchNormKernel opKernel;
    private final Parameter weight;
    private final Parameter bias;
    private final INDArray runningMean;
    private final INDArray runningVariance;
    private final BufferCache buffers = new BufferCache();
    /** Where backward's result lives: {@link #buffers}, or a pool shared with other layers. */
    private BufferCache gradientBuffers = buffers;
    private String gradientRole = "gradInput";
    /** Per-channel values handed to the kernels, reused by every call. */
    private final double[] batchMean;
    private final double[] batchInverseStd;
    private final double[] gammaValues;
    private final double[] betaValues;
    private final double[] batchVariance;
    private final double[] evalScale;
    private final double[] evalShift;
    private final double[] weightGradientDelta;
    private final double[] biasGradientDelta;
    private INDArray savedInput;
    /** The coefficients {@link #forwardDeferred} returns, reused by every call. */
    private final ChannelAffine deferredAffine;
    private boolean deferring = true;

    /**
     * @param hostMemory whether the backend keeps arrays in host memory: the rule's backend input,
     *     {@link HostKernels#backendUsesHostMemory()} but for tests of the rule
     */
    BatchNorm2d(int channels, int timeSteps, double initialWeight, DataType dataType, ActivationLayout layout,
            boolean hostMemory) {
        Checks.requirePositive("channels", channels);
        this.channels = channels;
        this.timeSteps = timeSteps;
        this.dataType = dataType;
        this.layout = Objects.requireNonNull(layout, "layout");
        this.weight = new Parameter("weight", OutsideWorkspaces.zeros(dataType, channels).assign(initialWeight));
        this.bias = new Parameter("bias", OutsideWorkspaces.zeros(dataType, channels));
        this.runningMean = OutsideWorkspaces.zeros(dataType, channels);
        this.runningVariance = OutsideWorkspaces.zeros(dataType, channels).assign(1);
        this.opKernel = new OpBatchNormKernel(channels, dataType, layout);
        this.kernel = KernelPath.select(hostMemory, dataType) != KernelPath.HOST_FLOAT ? opKernel
                : layout == ActivationLayout.NCHW ? new FloatBatchNormKernel() : new ChannelsLastFloatBatchNormKernel();
        this.batchMean = new double[channels];
        this.batchInverseStd = new double[channels];
        this.gammaValues = new double[channels];
        this.betaValues = new double[channels];
        this.batchVariance = new double[channels];
        this.evalScale = new double[channels];
        this.evalShift = new double[channels];
        this.weightGradientDelta = new double[channels];
        this.biasGradientDelta = new double[channels];
        this.deferredAffine = new ChannelAffine(new float[channels], new float[channels]);
    }

    /** Ordinary batch normalization over {@code [N, C, H, W]}, weight 1, bias 0. */
    public static BatchNorm2d standard(int channels, DataType dataType) {
        return standard(channels, dataType, ActivationLayout.NCHW);
    }

    /** Ordinary batch normalization of batches in {@code layout}, weight 1, bias 0. */
    public static BatchNorm2d standard(int channels, DataType dataType, ActivationLayout layout) {
        return new BatchNorm2d(channels, 0, 1.0, dataType, layout, HostKernels.backendUsesHostMemory());
    }

    /**
     * tdBN over time-major {@code [T*B, C, H, W]} input: statistics per channel over T, B, H and W.
     *
     * @param channels C
     * @param timeSteps T; the input's first dimension must be a multiple of it
     * @param initialWeight initial value of every {@code weight} entry (tdBN: alpha * threshold)
     * @param dataType float for training, double for gradient checks
     */
    public static BatchNorm2d timeMajor(int channels, int timeSteps, double initialWeight, DataType dataType) {
        return timeMajor(channels, timeSteps, initialWeight, dataType, ActivationLayout.NCHW);
    }

    /** {@link #timeMajor(int, int, double, DataType)} for batches in {@code layout}. */
    public static BatchNorm2d timeMajor(int channels, int timeSteps, double initialWeight, DataType dataType,
            ActivationLayout layout) {
        Checks.requirePositive("timeSteps", timeSteps);
        return new BatchNorm2d(channels, timeSteps, initialWeight, dataType, layout,
                HostKernels.backendUsesHostMemory());
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        long started = KernelTimer.start();
        INDArray output = normalize(input, training);
        KernelTimer.stop(KernelTimer.Kind.BATCH_NORM, started);
        return output;
    }

    private INDArray normalize(INDArray input, boolean training) {
        requireInput(input, training);
        INDArray output = buffers.get("output", dataType, input.shape());
        BatchNormKernel implementation = kernelFor(input);
        if (!training) {
            evaluationCoefficients();
            implementation.affine(input, output, evalScale, evalShift);
            savedInput = null;
            return output;
        }
        long valuesPerChannel = trainingValuesPerChannel(input);
        implementation.trainForward(input, output, gammaValues, betaValues, batchMean, batchVariance);
        updateRunningStatistics(valuesPerChannel);
        savedInput = input;
        return output;
    }

    /**
     * Whether {@link #forwardDeferred} takes this input: FLOAT NHWC on the host float path, a dense
     * input, and deferring not turned off ({@link #deferToNeurons}).
     */
    public boolean defers(INDArray input) {
        return deferring && kernel instanceof ChannelsLastFloatBatchNormKernel && kernel.path().accepts(input);
    }

    /**
     * Turns {@link #forwardDeferred} on (the default) or off: off, {@link #defers} is false, so a
     * model always stores this layer's output (for A/B measurements of the fusion).
     */
    public void deferToNeurons(boolean deferring) {
        this.deferring = deferring;
    }

    /**
     * {@link #forward} without its output pass, for neurons that apply the normalization as they
     * read their current ({@link io.spikeforge.api.neuron.NeuronModel#forward(INDArray, ChannelAffine,
     * int, boolean)}): in training, the batch statistics and the running statistics' update, and the
     * input kept for {@link #backward}, as {@link #forward} does; returns the coefficients of
     * {@code y = x * scale[c] + shift[c]}, the float numbers {@link #forward} applies, so that the
     * neurons see its output bit for bit. {@link #backward} then takes the neurons' gradient with
     * respect to that output, as after {@link #forward}.
     *
     * @return the coefficients, in arrays of this layer that the next call overwrites
     * @throws IllegalStateException where {@link #defers} is false for the input
     */
    public ChannelAffine forwardDeferred(INDArray input, boolean training) {
        if (!defers(input)) {
            throw new IllegalStateException(NAME + " computes its output for this input (" + layout + " "
                    + dataType + ", path " + kernel.path() + "); check defers() first");
        }
        long started = KernelTimer.start();
        requireInput(input, training);
        if (training) {
            long valuesPerChannel = trainingValuesPerChannel(input);
            ((ChannelsLastFloatBatchNormKernel) kernel).trainStatistics(input, gammaValues, betaValues, batchMean,
                    batchVariance, deferredAffine.scale(), deferredAffine.shift());
            updateRunningStatistics(valuesPerChannel);
            savedInput = input;
        } else {
            evaluationCoefficients();
            // the float coefficients the kernel's affine pass applies
            for (int c = 0; c < channels; c++) {
                deferredAffine.scale()[c] = (float) evalScale[c];
                deferredAffine.shift()[c] = (float) evalShift[c];
            }
            savedInput = null;
        }
        KernelTimer.stop(KernelTimer.Kind.BATCH_NORM, started);
        return deferredAffine;
    }

    private void requireInput(INDArray input, boolean training) {
        Checks.requireInput(NAME, input, dataType, 4);
        if (input.size(layout.channelAxis()) != channels) {
            throw new IllegalArgumentException(NAME + " expects " + channels + " channels but got "
                    + input.size(layout.channelAxis()) + " (" + layout + " input " + Arrays.toString(input.shape()) + ")");
        }
        // evaluation is per element, so it also takes one time-step [B, ...] (stepwise inference)
        if (training && timeSteps > 0 && input.size(0) % timeSteps != 0) {
            throw new IllegalArgumentException(NAME + ": time-major input needs a first dimension that is a multiple of T="
                    + timeSteps + ", got " + input.size(0));
        }
    }

    /** {@link #evalScale} and {@link #evalShift} from the running statistics. */
    private void evaluationCoefficients() {
        for (int c = 0; c < channels; c++) {
            evalScale[c] = weight.value().getDouble(c) / Math.sqrt(runningVariance.getDouble(c) + EPSILON);
            evalShift[c] = bias.value().getDouble(c) - runningMean.getDouble(c) * evalScale[c];
        }
    }

    /** Checks that a training batch has more than one value per channel, and loads gamma and beta. */
    private long trainingValuesPerChannel(INDArray input) {
        long valuesPerChannel = input.length() / channels;
        if (valuesPerChannel < 2) {
            throw new IllegalArgumentException(NAME + " needs more than one value per channel in training mode");
        }
        for (int c = 0; c < channels; c++) {
            gammaValues[c] = weight.value().getDouble(c);
            betaValues[c] = bias.value().getDouble(c);
        }
        return valuesPerChannel;
    }

    /**
     * From {@link #batchMean} and {@link #batchVariance}: the inverse standard deviations for
     * backward, and the running statistics (unbiased variance into {@code running_var}).
     */
    private void updateRunningStatistics(long valuesPerChannel) {
        double unbiased = (double) valuesPerChannel / (valuesPerChannel - 1);
        for (int c = 0; c < channels; c++) {
            batchInverseStd[c] = 1 / Math.sqrt(batchVariance[c] + EPSILON);
            runningMean.putScalar(c, (1 - MOMENTUM) * runningMean.getDouble(c) + MOMENTUM * batchMean[c]);
            runningVariance.putScalar(c,
                    (1 - MOMENTUM) * runningVariance.getDouble(c) + MOMENTUM * unbiased * batchVariance[c]);
        }
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        long started = KernelTimer.start();
        INDArray gradInput = backpropagate(gradOutput);
        KernelTimer.stop(KernelTimer.Kind.BATCH_NORM, started);
        return gradInput;
    }

    private INDArray backpropagate(INDArray gradOutput) {
        Checks.requireForwardState(NAME, savedInput != null);
        Checks.requireShape(NAME, "gradOutput", gradOutput, savedInput.shape());
        INDArray gradInput = gradientBuffers.get(gradientRole, dataType, savedInput.shape());
        BatchNormKernel implementation = kernelFor(savedInput, gradOutput, gradInput);
        for (int c = 0; c < channels; c++) {
            gammaValues[c] = weight.value().getDouble(c);
        }
        implementation.backward(savedInput, gradOutput, gradInput, gammaValues, batchMean, batchInverseStd,
                weightGradientDelta, biasGradientDelta);
        INDArray weightGradient = weight.gradient();
        INDArray biasGradient = bias.gradient();
        for (int c = 0; c < channels; c++) {
            weightGradient.putScalar(c, weightGradient.getDouble(c) + weightGradientDelta[c]);
            biasGradient.putScalar(c, biasGradient.getDouble(c) + biasGradientDelta[c]);
        }
        return gradInput;
    }

    /** The selected kernel when its path accepts every tensor of the call, else the ops. */
    private BatchNormKernel kernelFor(INDArray... tensors) {
        for (INDArray tensor : tensors) {
            if (!kernel.path().accepts(tensor)) {
                return opKernel;
            }
        }
        return kernel;
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

    @Override
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    @Override
    public Map<String, INDArray> buffers() {
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        tensors.put("running_mean", runningMean);
        tensors.put("running_var", runningVariance);
        return tensors;
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    /** Running mean per channel, the layer's own array. */
    public INDArray runningMean() {
        return runningMean;
    }

    /** Running (unbiased) variance per channel, the layer's own array. */
    public INDArray runningVariance() {
        return runningVariance;
    }

    public int channels() {
        return channels;
    }

    /** The layout of the batches this layer takes and makes. */
    public ActivationLayout layout() {
        return layout;
    }

    /**
     * The path this layer computes on, selected when it was built ({@link KernelPath#select}):
     * {@link KernelPath#HOST_FLOAT} for FLOAT on a host-memory backend, else
     * {@link KernelPath#ND4J_OPS}. Tensors the path does not accept (strided views) are computed by
     * the ops for that call.
     */
    public KernelPath kernelPath() {
        return kernel.path();
    }

    /** T for the time-major (tdBN) flavour, empty for the standard one. */
    public OptionalInt timeSteps() {
        return timeSteps > 0 ? OptionalInt.of(timeSteps) : OptionalInt.empty();
    }
}
