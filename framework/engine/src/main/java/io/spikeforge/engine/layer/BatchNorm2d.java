package io.spikeforge.engine.layer;

import io.spikeforge.engine.tensor.BufferCache;
import io.spikeforge.engine.tensor.OutsideWorkspaces;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.summarystats.Variance;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batch normalization of NCHW batches with PyTorch's semantics ({@code nn.BatchNorm2d}, momentum
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
 * <p>Forward uses libnd4j's {@code batchnorm} and backward its {@code batchnorm_bp}, which includes
 * the dependence of the batch statistics on the input (see the package documentation). Training-mode
 * forward keeps a reference to the input and the batch statistics, nothing else.
 */
public final class BatchNorm2d implements Layer {
    /** Weight of the current batch in the running statistics, PyTorch's default. */
    public static final double MOMENTUM = 0.1;
    /** Added to the variance before the square root, PyTorch's default. */
    public static final double EPSILON = 1e-5;

    private static final String NAME = "BatchNorm2d";
    private static final int[] STATISTICS_AXES = {0, 2, 3};
    /** libnd4j batchnorm integer arguments: apply scale, apply offset, channel axis. */
    private static final int[] OP_ARGUMENTS = {1, 1, 1};

    private final int channels;
    private final int timeSteps;
    private final DataType dataType;
    private final Parameter weight;
    private final Parameter bias;
    private final INDArray runningMean;
    private final INDArray runningVariance;
    private final BufferCache buffers = new BufferCache();
    private INDArray savedInput;
    private INDArray batchMean;
    private INDArray batchVariance;

    private BatchNorm2d(int channels, int timeSteps, double initialWeight, DataType dataType) {
        Checks.requirePositive("channels", channels);
        this.channels = channels;
        this.timeSteps = timeSteps;
        this.dataType = dataType;
        this.weight = new Parameter("weight", OutsideWorkspaces.zeros(dataType, channels).assign(initialWeight));
        this.bias = new Parameter("bias", OutsideWorkspaces.zeros(dataType, channels));
        this.runningMean = OutsideWorkspaces.zeros(dataType, channels);
        this.runningVariance = OutsideWorkspaces.zeros(dataType, channels).assign(1);
    }

    /** Ordinary batch normalization over {@code [N, C, H, W]}, weight 1, bias 0. */
    public static BatchNorm2d standard(int channels, DataType dataType) {
        return new BatchNorm2d(channels, 0, 1.0, dataType);
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
        Checks.requirePositive("timeSteps", timeSteps);
        return new BatchNorm2d(channels, timeSteps, initialWeight, dataType);
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        Checks.requireInput(NAME, input, dataType, 4);
        if (input.size(1) != channels) {
            throw new IllegalArgumentException(NAME + " expects " + channels + " channels but got " + input.size(1));
        }
        if (timeSteps > 0 && input.size(0) % timeSteps != 0) {
            throw new IllegalArgumentException(NAME + ": time-major input needs a first dimension that is a multiple of T="
                    + timeSteps + ", got " + input.size(0));
        }
        INDArray output = buffers.get("output", dataType, input.shape());
        if (!training) {
            normalize(input, runningMean, runningVariance, output);
            savedInput = null;
            return output;
        }
        long valuesPerChannel = input.length() / channels;
        if (valuesPerChannel < 2) {
            throw new IllegalArgumentException(NAME + " needs more than one value per channel in training mode");
        }
        batchMean = buffers.get("batchMean", dataType, channels);
        batchVariance = buffers.get("batchVariance", dataType, channels);
        input.mean(batchMean, STATISTICS_AXES);
        Nd4j.exec(new Variance(input, batchVariance, false, STATISTICS_AXES));
        normalize(input, batchMean, batchVariance, output);
        updateRunningStatistics(valuesPerChannel);
        savedInput = input;
        return output;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        Checks.requireForwardState(NAME, savedInput != null);
        Checks.requireShape(NAME, "gradOutput", gradOutput, savedInput.shape());
        INDArray gradInput = buffers.get("gradInput", dataType, savedInput.shape());
        INDArray gradMean = buffers.get("gradMean", dataType, channels);
        INDArray gradVariance = buffers.get("gradVariance", dataType, channels);
        INDArray gradWeight = buffers.get("gradWeight", dataType, channels);
        INDArray gradBias = buffers.get("gradBias", dataType, channels);
        Nd4j.exec(DynamicCustomOp.builder("batchnorm_bp")
                .addInputs(savedInput, batchMean, batchVariance, weight.value(), bias.value(), gradOutput)
                .addOutputs(gradInput, gradMean, gradVariance, gradWeight, gradBias)
                .addIntegerArguments(OP_ARGUMENTS)
                .addFloatingPointArguments(EPSILON)
                .build());
        // batchnorm_bp overwrites its outputs; parameter gradients accumulate across backward calls
        weight.gradient().addi(gradWeight);
        bias.gradient().addi(gradBias);
        return gradInput;
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

    /** T for the time-major (tdBN) flavour, empty for the standard one. */
    public OptionalInt timeSteps() {
        return timeSteps > 0 ? OptionalInt.of(timeSteps) : OptionalInt.empty();
    }

    private void normalize(INDArray input, INDArray mean, INDArray variance, INDArray output) {
        Nd4j.exec(DynamicCustomOp.builder("batchnorm")
                .addInputs(input, mean, variance, weight.value(), bias.value())
                .addOutputs(output)
                .addIntegerArguments(OP_ARGUMENTS)
                .addFloatingPointArguments(EPSILON)
                .build());
    }

    private void updateRunningStatistics(long valuesPerChannel) {
        INDArray scaled = buffers.get("runningUpdate", dataType, channels);
        runningMean.muli(1 - MOMENTUM).addi(batchMean.mul(MOMENTUM, scaled));
        double unbiased = (double) valuesPerChannel / (valuesPerChannel - 1);
        runningVariance.muli(1 - MOMENTUM).addi(batchVariance.mul(MOMENTUM * unbiased, scaled));
    }
}
