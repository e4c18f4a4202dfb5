package io.spikeforge.api.neuron;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One layer's neurons run one time-step at a time, for inference: the state between steps (the
 * membrane potential, an adaptation) is all it keeps, so memory does not grow with T. Made by
 * {@link NeuronModel#startSteps()}, which starts from the initial state; stepping T times gives
 * the spikes of an inference-mode {@link NeuronModel#forward} over T steps, bit for bit (the
 * contract tests of {@code testkit} check it). Not thread-safe.
 */
public interface NeuronSteps extends AutoCloseable {
    /**
     * Runs the next time-step from the state the previous one left (the initial state at the first).
     *
     * @param current the input current of this step, {@code [B, ...]}, FLOAT or DOUBLE; the same
     *     shape and data type at every step
     * @return the spikes (0 or 1) with the shape and data type of {@code current}, a buffer valid
     *     until the next step
     * @throws IllegalArgumentException when {@code current} has another shape or data type than the
     *     first step's
     */
    INDArray step(INDArray current);

    /**
     * {@link #step(INDArray)} with the spikes written into {@code spikes}, which may be
     * {@code current} itself (the spikes then replace the current): a caller that manages the
     * buffers of a whole network's step needs no spike buffer per layer. Implementations that read
     * each current element before writing its spike override this to skip their own spike buffer;
     * this default steps into that buffer and copies.
     *
     * @param spikes dense, the shape and data type of {@code current}, written
     * @return {@code spikes}
     * @throws IllegalArgumentException as {@link #step(INDArray)}, or for {@code spikes} of another
     *     shape or data type
     */
    default INDArray step(INDArray current, INDArray spikes) {
        requireSpikesFor(current, spikes);
        return spikes.assign(step(current));
    }

    /**
     * The argument check of {@link #step(INDArray, INDArray)}, for its implementations.
     *
     * @throws IllegalArgumentException unless {@code spikes} has the shape and data type of {@code current}
     */
    static void requireSpikesFor(INDArray current, INDArray spikes) {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(spikes, "spikes");
        if (!Arrays.equals(spikes.shape(), current.shape()) || spikes.dataType() != current.dataType()) {
            throw new IllegalArgumentException("spikes must have the shape and data type of the current, "
                    + Arrays.toString(current.shape()) + " " + current.dataType() + ", got "
                    + Arrays.toString(spikes.shape()) + " " + spikes.dataType());
        }
    }

    /** The steps run so far. */
    int stepsTaken();

    /**
     * Starts over from the initial state, as a new {@link NeuronModel#startSteps()} would, with the
     * neuron's parameters as they are now, keeping the state's memory for steps of the shape and data
     * type of the last run: a pass after pass of inference allocates its state once. This default
     * cannot and says so.
     *
     * @return whether the steps start over; where false, use a new {@link NeuronModel#startSteps()}
     */
    default boolean restart() {
        return false;
    }

    /**
     * Frees the state's memory now instead of when the garbage collector finds it; the steps must
     * not be used afterwards. The state of a large network is hundreds of MB that live through a
     * whole pass, so without this it reaches the old generation and survives the next pass's too.
     * This default frees nothing.
     */
    @Override
    default void close() {
    }

    /**
     * Frees the native buffers of {@code arrays} now, for implementations of {@link #close}: nulls,
     * views, arrays in a workspace and arrays already closed are skipped.
     */
    static void free(INDArray... arrays) {
        for (INDArray array : arrays) {
            if (array != null && array.closeable() && !array.wasClosed()) {
                array.close();
            }
        }
    }
}
