package io.spikeforge.engine.layer;

import io.spikeforge.engine.tensor.KernelTimer;
import io.spikeforge.engine.tensor.OutsideWorkspaces;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The evaluation forward of a {@link Conv2d} and the {@link BatchNorm2d} after it as one
 * convolution: in evaluation mode batch norm is the per-channel affine map {@code y = a * x + b}
 * with {@code a = gamma / sqrt(running_var + eps)} and {@code b = beta - running_mean * a}, so
 * {@code bn(conv(x))} is a convolution with the weight {@code W[o] * a[o]} and the bias
 * {@code a[o] * bias[o] + b[o]}. One pass over the output instead of two, and no batch-norm
 * buffer. The folded parameters are copies, taken by {@link #refresh}: the layers' own parameters
 * and statistics stay as they are. The rounding differs from the two layers' (the products are
 * rounded once, in the weight, instead of per output element), within float precision.
 *
 * <p>The output goes into a buffer the caller passes (stepwise inference shares a pool of step
 * buffers between layers). FLOAT NHWC runs on oneDNN called directly, with the bias in the
 * forward primitive, as {@link Conv2d} does; everything else on libnd4j's {@code conv2d} with a
 * bias input. Evaluation operations are counted by the convolution's counter, as its own forward
 * would. Not thread-safe.
 */
public final class FoldedConvolution {
    private static final String NAME = "FoldedConvolution";

    private final Conv2d convolution;
    private final BatchNorm2d batchNorm;
    private final DataType dataType;
    private final ActivationLayout layout;
    private final INDArray weight;
    private final INDArray bias;
    /** oneDNN called directly, built at the first call that takes it; else null. */
    private OneDnnConvolution oneDnn;
    /** Counts the refreshes: oneDNN lays the weights out for its kernel once per refresh, not at every step. */
    private long weightsVersion;

    /**
     * @param convolution the convolution
     * @param batchNorm the batch norm that takes its output, in the same layout; null for the
     *     convolution alone (its bias, if any, is then the folded bias)
     * @throws IllegalArgumentException when the batch norm does not fit the convolution
     */
    public FoldedConvolution(Conv2d convolution, BatchNorm2d batchNorm) {
        this.convolution = Objects.requireNonNull(convolution, "convolution");
        this.batchNorm = batchNorm;
        this.dataType = convolution.weight().value().dataType();
        this.layout = convolution.layout();
        if (batchNorm != null && (batchNorm.channels() != convolution.outChannels() || batchNorm.layout() != layout
                || batchNorm.weight().value().dataType() != dataType)) {
            throw new IllegalArgumentException(NAME + ": a batch norm of " + batchNorm.channels() + " channels in "
                    + batchNorm.layout() + " does not follow a convolution to " + convolution.outChannels()
                    + " channels in " + layout);
        }
        this.weight = OutsideWorkspaces.zeros(dataType, convolution.weight().value().shape());
        this.bias = batchNorm != null || convolution.bias().isPresent()
                ? OutsideWorkspaces.zeros(dataType, convolution.outChannels()) : null;
        refresh();
    }

    /**
     * Takes the folded weight and bias from the layers' current parameters and running
     * statistics, in double, rounded once to the data type: call it whenever they may have changed.
     */
    public void refresh() {
        int channels = convolution.outChannels();
        INDArray scale = Nd4j.ones(DataType.DOUBLE, channels, 1);
        INDArray shift = Nd4j.zeros(DataType.DOUBLE, channels, 1);
        if (batchNorm != null) {
            for (int c = 0; c < channels; c++) {
                double a = batchNorm.weight().value().getDouble(c)
                        / Math.sqrt(batchNorm.runningVariance().getDouble(c) + BatchNorm2d.EPSILON);
                scale.putScalar(c, a);
                shift.putScalar(c, batchNorm.bias().value().getDouble(c) - batchNorm.runningMean().getDouble(c) * a);
            }
        }
        INDArray original = convolution.weight().value();
        INDArray rows = original.castTo(DataType.DOUBLE).reshape('c', channels, original.length() / channels);
        weight.assign(rows.mulColumnVector(scale).reshape('c', original.shape()).castTo(dataType));
        weightsVersion++;
        if (bias != null) {
            INDArray folded = convolution.bias().map(b -> b.value().castTo(DataType.DOUBLE).reshape(channels, 1)
                    .mul(scale).add(shift)).orElse(shift);
            bias.assign(folded.reshape(channels).castTo(dataType));
        }
    }

    /** The output shape for an input of {@code inputShape}, in the layout. */
    public long[] outputShape(long[] inputShape) {
        if (inputShape.length != 4) {
            throw new IllegalArgumentException(NAME + " expects a rank-4 input, got " + Arrays.toString(inputShape));
        }
        return layout.shape(inputShape[0], convolution.outChannels(),
                convolution.outputSize(inputShape[layout.heightAxis()]),
                convolution.outputSize(inputShape[layout.widthAxis()]));
    }

    /**
     * output = bn(conv(input)) in evaluation mode, with the folded parameters of the last {@link #refresh}.
     *
     * @param output {@link #outputShape} of the input, dense, not overlapping the input; overwritten
     * @return output
     */
    public INDArray forward(INDArray input, INDArray output) {
        Checks.requireInput(NAME, input, dataType, 4);
        if (input.size(layout.channelAxis()) != convolution.inChannels()) {
            throw new IllegalArgumentException(NAME + " expects " + convolution.inChannels() + " input channels but got "
                    + input.size(layout.channelAxis()) + " (" + layout + " input " + Arrays.toString(input.shape()) + ")");
        }
        long[] shape = outputShape(input.shape());
        Checks.requireShape(NAME, "output", output, shape);
        long started = KernelTimer.start();
        if (onOneDnn(input, output)) {
            oneDnn.forward(input, weight, weightsVersion, bias, output);
        } else {
            INDArray[] inputs = bias == null ? new INDArray[] {input, weight} : new INDArray[] {input, weight, bias};
            Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(inputs).addOutputs(output)
                    .addIntegerArguments(convolution.opArguments).build());
        }
        KernelTimer.stop(KernelTimer.Kind.CONVOLUTION, started);
        convolution.countEvaluation(input, shape[layout.heightAxis()], shape[layout.widthAxis()]);
        return output;
    }

    /** As {@link Conv2d}: FLOAT NHWC with dense tensors on oneDNN unless turned off. */
    private boolean onOneDnn(INDArray input, INDArray output) {
        if (layout != ActivationLayout.NHWC || !OneDnnConvolution.servesNhwcLayers(dataType)
                || !OneDnnConvolution.accepts(input) || !OneDnnConvolution.accepts(output)) {
            return false;
        }
        if (oneDnn == null) {
            oneDnn = new OneDnnConvolution(convolution.inChannels(), convolution.outChannels(),
                    convolution.kernelSize(), convolution.stride(), convolution.padding(), bias != null, true, false);
        }
        return true;
    }
}
