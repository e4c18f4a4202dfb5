package io.spikeforge.plugins.qcfs;

import io.spikeforge.api.activation.AnnActivation;
import io.spikeforge.api.model.Parameter;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The quantization clip-floor-shift activation of one layer, with {@code L} levels and a trainable
 * threshold {@code lambda} (Bu et al., ICLR 2022):
 * <pre>
 *   y = lambda * floor(clamp(x / lambda, 0, 1) * L + 1/2) / L
 * </pre>
 * which equals the paper's {@code lambda * clip(floor(x * L / lambda + 1/2) / L, 0, 1)}; written as the
 * authors' code computes it (clamp, then the shifted floor), whose gradient this is. The output takes
 * the {@code L + 1} values {@code k * lambda / L}: it is {@code q_T(x)} of the shared conversion
 * definitions with {@code T = L}, {@code theta = lambda} and {@code v(0) = theta / 2}, the output of
 * an integrate-and-fire neuron with threshold {@code lambda} after {@code L} steps of constant input.
 *
 * <p>Gradient: the floor passes its gradient straight through (the authors' {@code GradFloor}), the
 * clamp passes it inside {@code (0, 1)}. With {@code q = floor(clamp(x / lambda, 0, 1) * L + 1/2) / L}
 * (so {@code y = lambda * q}) and {@code m = 1} for {@code 0 < x < lambda}, else 0:
 * <pre>
 *   dy/dx      = m
 *   dy/dlambda = q - m * x / lambda     (q + lambda * dq/dlambda, with dq/dlambda = -m * x / lambda^2)
 * </pre>
 * that is: 1 above the threshold, 0 below zero, and inside the quantization residual
 * {@code q - x / lambda}, in {@code [-1/(2L), 1/(2L)]}. PyTorch's clamp also passes the gradient at
 * exactly {@code x = 0} and {@code x = lambda}; this implementation does not, which changes the
 * gradient only at those two points. {@code lambda} is one number per layer, the parameter
 * {@code threshold} of shape {@code [1]}; the optimizer trains it like any weight (the authors train it
 * with the weights' SGD, momentum and weight decay). It must stay positive: a forward pass with
 * {@code lambda <= 0} throws.
 *
 * <p>The forward pass keeps a reference to its input in training mode; buffers are reused while the
 * input's shape repeats, outside any ND4J workspace. Not thread-safe.
 */
public final class QcfsActivation implements AnnActivation {
    /** The threshold parameter's local name. */
    public static final String THRESHOLD = "threshold";

    private final int levels;
    private final DataType dataType;
    private final Parameter threshold;
    private final Buffers output = new Buffers();
    private final Buffers gradInput = new Buffers();
    private final Buffers scratch = new Buffers();
    private final Buffers belowThreshold = new Buffers();
    private INDArray savedInput;

    /**
     * @param levels L, the number of quantization steps, at least 1
     * @param initialThreshold lambda at the start, positive
     * @param dataType the data type of the threshold and of the inputs
     */
    public QcfsActivation(int levels, double initialThreshold, DataType dataType) {
        if (levels < 1) {
            throw new IllegalArgumentException("levels must be at least 1, got " + levels);
        }
        if (!(initialThreshold > 0) || Double.isInfinite(initialThreshold)) {
            throw new IllegalArgumentException("the threshold must be a positive number, got " + initialThreshold);
        }
        this.levels = levels;
        this.dataType = Objects.requireNonNull(dataType, "dataType");
        this.threshold = new Parameter(THRESHOLD, outsideWorkspaces(dataType, 1).assign(initialThreshold));
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        if (input.dataType() != dataType || input.rank() < 2) {
            throw new IllegalArgumentException("qcfs expects a " + dataType + " input [B, C, ...], got "
                    + input.dataType() + " " + Arrays.toString(input.shape()));
        }
        INDArray y = quantize(input, lambda(), output.get(dataType, input.shape()));
        savedInput = training ? input : null;
        return y;
    }

    /** {@code lambda * floor(clamp(x * L / lambda, 0, L) + 1/2) / L} into {@code into}. */
    private INDArray quantize(INDArray x, double lambda, INDArray into) {
        into.assign(x).muli(levels / lambda);
        Transforms.max(into, 0.0, false);
        Transforms.min(into, levels, false);
        into.addi(0.5);
        Transforms.floor(into, false);
        return into.muli(lambda / levels);
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        if (savedInput == null) {
            throw new IllegalStateException("qcfs backward needs a training-mode forward first");
        }
        if (!Arrays.equals(gradOutput.shape(), savedInput.shape()) || gradOutput.dataType() != dataType) {
            throw new IllegalArgumentException("gradOutput is " + gradOutput.dataType() + " "
                    + Arrays.toString(gradOutput.shape()) + ", expected " + dataType + " "
                    + Arrays.toString(savedInput.shape()));
        }
        double lambda = lambda();
        long[] shape = savedInput.shape();
        // dL/dx = g * m: relu_bp passes g where its first input is positive, x and then lambda - x
        INDArray positive = reluGradient(savedInput, gradOutput, belowThreshold.get(dataType, shape));
        INDArray margin = savedInput.rsub(lambda, scratch.get(dataType, shape));
        INDArray result = reluGradient(margin, positive, gradInput.get(dataType, shape));
        // dL/dlambda = sum(g * q) - sum(g * m * x) / lambda = (sum(g * y) - sum(dL/dx * x)) / lambda
        double gradientTimesInput = margin.assign(result).muli(savedInput).sumNumber().doubleValue();
        double gradientTimesOutput = quantize(savedInput, lambda, margin).muli(gradOutput).sumNumber().doubleValue();
        INDArray lambdaGradient = threshold.gradient();
        lambdaGradient.putScalar(0, lambdaGradient.getDouble(0) + (gradientTimesOutput - gradientTimesInput) / lambda);
        return result;
    }

    private static INDArray reluGradient(INDArray input, INDArray gradOutput, INDArray into) {
        Nd4j.exec(DynamicCustomOp.builder("relu_bp")
                .addInputs(input, gradOutput)
                .addOutputs(into)
                .addFloatingPointArguments(0.0)
                .build());
        return into;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(threshold);
    }

    /** lambda, the threshold the converted layer's integrate-and-fire neurons take. */
    @Override
    public OptionalDouble conversionThreshold() {
        return OptionalDouble.of(threshold.value().getDouble(0));
    }

    /** L. */
    public int levels() {
        return levels;
    }

    private double lambda() {
        double lambda = threshold.value().getDouble(0);
        if (!(lambda > 0) || Double.isInfinite(lambda)) {
            throw new IllegalStateException("the qcfs threshold is " + lambda + ", but it must stay a positive number;"
                    + " lower the learning rate or the weight decay");
        }
        return lambda;
    }

    @SuppressWarnings("try") // the scope object is only opened and closed
    private static INDArray outsideWorkspaces(DataType dataType, long... shape) {
        // a workspace's memory is recycled when it closes; these arrays live as long as the layer
        try (MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Nd4j.zeros(dataType, shape);
        }
    }

    /** One reused array, reallocated when the shape or type changes. */
    private static final class Buffers {
        private INDArray array;

        INDArray get(DataType dataType, long[] shape) {
            if (array == null || array.dataType() != dataType || !Arrays.equals(array.shape(), shape)) {
                array = outsideWorkspaces(dataType, shape);
            }
            return array;
        }
    }
}
