package io.spikeforge.api.neuron;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A base for {@link NeuronSteps} of FLOAT or DOUBLE currents whose every step has the first step's
 * shape and data type: it checks the arguments, counts the steps and tells the implementation when
 * a run starts, so that an implementation writes its state handling and its step alone.
 */
public abstract class SameShapeSteps implements NeuronSteps {
    private long[] shape;
    private DataType type;
    private int taken;

    @Override
    public final INDArray step(INDArray current) {
        return checkedStep(current, null);
    }

    @Override
    public final INDArray step(INDArray current, INDArray spikes) {
        NeuronSteps.requireSpikesFor(current, spikes);
        return checkedStep(current, spikes);
    }

    private INDArray checkedStep(INDArray current, INDArray into) {
        Objects.requireNonNull(current, "current");
        DataType currentType = current.dataType();
        if (currentType != DataType.FLOAT && currentType != DataType.DOUBLE) {
            throw new IllegalArgumentException("current must be FLOAT or DOUBLE, got " + currentType);
        }
        boolean first = taken == 0;
        if (first) {
            if (current.rank() == 0) {
                throw new IllegalArgumentException("current must have shape [B, ...], got a scalar");
            }
            boolean sameAsLastRun = Arrays.equals(shape, current.shape()) && currentType == type;
            shape = current.shape().clone();
            type = currentType;
            start(current, sameAsLastRun);
        } else if (!Arrays.equals(shape, current.shape()) || currentType != type) {
            throw new IllegalArgumentException("every step must have the shape and data type of the first, "
                    + Arrays.toString(shape) + " " + type + ", got " + Arrays.toString(current.shape()) + " "
                    + currentType);
        }
        taken++;
        return advance(current, into, first);
    }

    /**
     * The first step of a run is about to run: take the path for its data type, and allocate the
     * state, or keep that of the last run.
     *
     * @param current the first step's current, {@code [B, ...]}, FLOAT or DOUBLE
     * @param sameAsLastRun whether the last run's steps had this shape and data type
     */
    protected abstract void start(INDArray current, boolean sameAsLastRun);

    /**
     * One step from the state the previous one left (the initial state when {@code first}).
     *
     * @param current this step's current, of the run's shape and data type
     * @param into where the spikes go, checked by {@link NeuronSteps#requireSpikesFor}; null for a
     *     buffer of the implementation's own
     * @return the spikes: {@code into}, or the own buffer where that is null
     */
    protected abstract INDArray advance(INDArray current, INDArray into, boolean first);

    /** Starts over: the next step is a run's first. For implementations of {@link #restart}. */
    protected final void startOver() {
        taken = 0;
    }

    /** The run's shape, null before its first step. */
    protected final long[] shape() {
        return shape;
    }

    /** The run's data type, null before its first step. */
    protected final DataType dataType() {
        return type;
    }

    @Override
    public final int stepsTaken() {
        return taken;
    }
}
