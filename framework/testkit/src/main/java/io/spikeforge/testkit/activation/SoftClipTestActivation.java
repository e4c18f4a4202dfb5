package io.spikeforge.testkit.activation;

import io.spikeforge.api.activation.AnnActivation;
import io.spikeforge.api.model.Parameter;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A smooth activation with a trainable bound per channel, for tests of a framework that trains
 * plugin-owned parameters (models, optimizers, checkpoints), written for clarity, not speed: one
 * scalar loop in double precision whatever the data type. Per element of channel {@code c}:
 * <pre>
 * y = a[c] * tanh(x / a[c])
 * dy/dx    = 1 - tanh(u)^2                     with u = x / a[c]
 * dy/da[c] = tanh(u) - u * (1 - tanh(u)^2)
 * </pre>
 * a soft clip of {@code x} to {@code (-a[c], a[c])}, smooth everywhere, so whole-network
 * finite-difference checks need not avoid kinks. The bounds are the parameter {@code bound}, of shape
 * {@code [C]}; it defines no conversion threshold.
 */
public final class SoftClipTestActivation implements AnnActivation {
    /** The parameter's local name. */
    public static final String BOUND = "bound";

    private final int channels;
    private final DataType dataType;
    private final Parameter bound;
    private double[] savedInput;
    private long[] savedShape;

    /**
     * @param channels the channels of the input (dimension 1)
     * @param initialBound every channel's bound at the start, positive
     * @param dataType the data type of the parameter and of the inputs
     */
    public SoftClipTestActivation(int channels, double initialBound, DataType dataType) {
        if (channels < 1 || !(initialBound > 0)) {
            throw new IllegalArgumentException("channels and the initial bound must be positive, got " + channels
                    + " and " + initialBound);
        }
        this.channels = channels;
        this.dataType = Objects.requireNonNull(dataType, "dataType");
        this.bound = new Parameter(BOUND, outsideWorkspaces(dataType, channels).assign(initialBound));
    }

    @SuppressWarnings("try")
    private static INDArray outsideWorkspaces(DataType dataType, long... shape) {
        try (MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Nd4j.zeros(dataType, shape);
        }
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        requireInput(input);
        double[] x = values(input);
        double[] a = values(bound.value());
        int perChannel = perChannel(input);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double scale = a[(i / perChannel) % channels];
            y[i] = scale * Math.tanh(x[i] / scale);
        }
        savedInput = training ? x : null;
        savedShape = training ? input.shape() : null;
        return Nd4j.create(y, input.shape(), 'c').castTo(dataType);
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        if (savedInput == null) {
            throw new IllegalStateException("backward needs a training-mode forward first");
        }
        if (!Arrays.equals(gradOutput.shape(), savedShape)) {
            throw new IllegalArgumentException("gradOutput has shape " + Arrays.toString(gradOutput.shape())
                    + ", expected " + Arrays.toString(savedShape));
        }
        double[] g = values(gradOutput);
        double[] a = values(bound.value());
        int perChannel = perChannel(gradOutput);
        double[] gradInput = new double[g.length];
        double[] gradBound = new double[channels];
        for (int i = 0; i < g.length; i++) {
            int c = (i / perChannel) % channels;
            double u = savedInput[i] / a[c];
            double t = Math.tanh(u);
            gradInput[i] = g[i] * (1 - t * t);
            gradBound[c] += g[i] * (t - u * (1 - t * t));
        }
        bound.gradient().addi(Nd4j.createFromArray(gradBound).castTo(dataType));
        return Nd4j.create(gradInput, savedShape, 'c').castTo(dataType);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(bound);
    }

    private void requireInput(INDArray input) {
        if (input.rank() < 2 || input.size(1) != channels || input.dataType() != dataType) {
            throw new IllegalArgumentException("expected a " + dataType + " input [B, " + channels + ", ...], got "
                    + input.dataType() + " " + Arrays.toString(input.shape()));
        }
    }

    private static int perChannel(INDArray array) {
        return Math.toIntExact(array.length() / (array.size(0) * array.size(1)));
    }

    private static double[] values(INDArray array) {
        return array.castTo(DataType.DOUBLE).dup('c').reshape(array.length()).toDoubleVector();
    }
}
