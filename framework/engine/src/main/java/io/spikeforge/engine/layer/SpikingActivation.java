package io.spikeforge.engine.layer;

import io.spikeforge.api.model.Parameter;
import io.spikeforge.api.neuron.ChannelAffine;
import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.api.neuron.NeuronSteps;
import io.spikeforge.engine.tensor.KernelTimer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Spiking neurons as a layer: runs a {@link NeuronModel} over all T time-steps of a time-major
 * {@code [T*B, ...]} input at once (the neuron keeps what back-propagation through time needs), and
 * gives the mean firing rate of the last forward pass for monitoring ({@link #lastFiringRate()}).
 *
 * <p>The data type follows the input, as for the neuron model. Returned arrays are the neuron's own
 * buffers, with the lifetime the neuron model gives them. The neuron's trainable tensors
 * ({@link NeuronModel#parameters()}, read once here) are the layer's parameters, so they join the
 * model's parameters, state dict and checkpoints, and the optimizer trains them like any weight.
 *
 * <p>For inference the layer can also step through time ({@link #startSteps}): each evaluation
 * forward is then one time-step {@code [B, ...]}, run by the neuron's single-step mode
 * ({@link NeuronModel#startSteps()}) from the state the previous step left, until {@link #stopSteps()}.
 */
public final class SpikingActivation implements Layer {
    private static final String NAME = "SpikingActivation";

    private final NeuronModel neuron;
    private final int timeSteps;
    private final List<Parameter> parameters;
    private boolean trained;
    private double lastFiringRate = Double.NaN;
    /** The spikes of the last training forward until their rate is asked for or the backward runs; else null. */
    private INDArray uncountedSpikes;
    /** The single steps under way, null outside {@link #startSteps}; and their spike count, when counted. */
    private NeuronSteps steps;
    /**
     * The steps of the last stepping, kept so that the next {@link #startSteps} restarts them
     * without allocating the state again (pass after pass of stepwise inference); freed when the
     * layer runs all T steps again. Null otherwise.
     */
    private NeuronSteps stopped;
    private boolean countingSteps;
    private double stepSpikes;
    private long stepElements;

    /**
     * @param neuron the neurons of this layer (an instance of its own: neuron models are stateful)
     * @param timeSteps T; the input's first dimension must be a multiple of it
     * @param dataType the model's data type, which the neuron's parameters must have
     * @throws IllegalArgumentException when a parameter of the neuron has another data type, or a
     *     name that is empty, repeated or has a dot
     */
    public SpikingActivation(NeuronModel neuron, int timeSteps, DataType dataType) {
        this.neuron = Objects.requireNonNull(neuron, "neuron");
        Checks.requirePositive("timeSteps", timeSteps);
        this.timeSteps = timeSteps;
        this.parameters = OwnedParameters.checked(neuron.getClass().getSimpleName(), neuron.parameters(),
                Objects.requireNonNull(dataType, "dataType"));
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    /** Whether the neuron has a single-step mode ({@link #startSteps}). */
    public boolean stepsSingly() {
        return neuron.startSteps().isPresent();
    }

    /**
     * Starts stepping through time: from now until {@link #stopSteps()} every forward, in
     * evaluation mode only, takes one time-step {@code [B, ...]} and runs the neurons one step from
     * the state the previous one left (the initial state at the first).
     *
     * @param countSpikes whether to count the spikes for {@link #lastFiringRate()} (a pass over
     *     each step's spikes); the rate is NaN otherwise
     * @throws UnsupportedOperationException when the neuron has no single-step mode
     */
    public void startSteps(boolean countSpikes) {
        if (stopped != null && stopped.restart()) {
            steps = stopped;
        } else {
            freeStoppedSteps();
            steps = newSteps();
        }
        stopped = null;
        countingSteps = countSpikes;
        stepSpikes = 0;
        stepElements = 0;
        uncountedSpikes = null;
        lastFiringRate = Double.NaN;
        trained = false;
    }

    /**
     * Starts the neurons over from their initial state while stepping, for other rows of the same
     * pass (stepwise inference of a batch in parts): the spike count goes on, so
     * {@link #lastFiringRate()} is that of every row stepped since {@link #startSteps}. The state's
     * memory is kept where the neuron's steps can restart ({@link NeuronSteps#restart}).
     *
     * @throws IllegalStateException when the layer is not stepping
     */
    public void restartSteps() {
        if (steps == null) {
            throw new IllegalStateException(NAME + " is not stepping through time (startSteps)");
        }
        if (!steps.restart()) {
            steps.close();
            // never left holding closed steps, should the neuron refuse new ones
            steps = null;
            steps = newSteps();
        }
    }

    private NeuronSteps newSteps() {
        return neuron.startSteps().orElseThrow(() -> new UnsupportedOperationException(
                neuron.getClass().getName() + " has no single-step mode (NeuronModel.startSteps); run the model"
                        + " over all T steps at once"));
    }

    /**
     * Ends stepping: forward takes all T steps {@code [T*B, ...]} again. The neuron's step state is
     * kept for the next {@link #startSteps} until then, and freed by the first forward over all steps.
     */
    public void stopSteps() {
        if (steps != null) {
            stopped = steps;
            steps = null;
        }
    }

    private void freeStoppedSteps() {
        if (stopped != null) {
            stopped.close();
            stopped = null;
        }
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        if (steps != null) {
            return step(input, training);
        }
        freeStoppedSteps();
        requireTimeMajor(input);
        long started = KernelTimer.start();
        INDArray spikes = neuron.forward(input, timeSteps, training);
        KernelTimer.stop(KernelTimer.Kind.NEURONS, started);
        return fired(spikes, training);
    }

    /**
     * Whether {@link #forward(INDArray, ChannelAffine, boolean)} takes this input: the neuron
     * accepts a channel affine input of its type ({@link NeuronModel#acceptsChannelAffine}), and the
     * layer is not stepping through time.
     */
    public boolean takesChannelAffine(INDArray input) {
        return steps == null && neuron.acceptsChannelAffine(input.dataType());
    }

    /**
     * {@link #forward(INDArray, boolean)} of {@code input} mapped by {@code affine} (a batch
     * normalization's output that is never stored, {@link BatchNorm2d#forwardDeferred}); the same
     * spikes, firing rate and backward.
     *
     * @throws UnsupportedOperationException where {@link #takesChannelAffine} is false
     */
    public INDArray forward(INDArray input, ChannelAffine affine, boolean training) {
        if (!takesChannelAffine(input)) {
            throw new UnsupportedOperationException(NAME + ": " + neuron.getClass().getName() + (steps != null
                    ? " is stepping through time" : " takes no channel affine input of " + input.dataType()));
        }
        freeStoppedSteps();
        requireTimeMajor(input);
        long started = KernelTimer.start();
        INDArray spikes = neuron.forward(input, affine, timeSteps, training);
        KernelTimer.stop(KernelTimer.Kind.NEURONS, started);
        return fired(spikes, training);
    }

    private void requireTimeMajor(INDArray input) {
        if (input.rank() < 1 || input.size(0) % timeSteps != 0) {
            throw new IllegalArgumentException(NAME + " expects [T*B, ...] with T=" + timeSteps + " but got "
                    + Arrays.toString(input.shape()));
        }
    }

    /** The bookkeeping after an all-T forward: the firing rate, and whether a backward may follow. */
    private INDArray fired(INDArray spikes, boolean training) {
        // Evaluation reads every layer's rate after each batch, so an evaluation forward counts at
        // once and keeps no reference to the neuron's buffer. Training reads none: a training
        // forward only remembers the spikes, and costs a pass over them only if someone asks.
        if (training) {
            uncountedSpikes = spikes;
            lastFiringRate = Double.NaN;
        } else {
            uncountedSpikes = null;
            lastFiringRate = rate(spikes);
        }
        trained = training;
        return spikes;
    }

    private INDArray step(INDArray input, boolean training) {
        if (training) {
            throw new IllegalStateException(NAME + " steps through time for inference only; stop the steps to train");
        }
        return step(input, null);
    }

    /**
     * One time-step while stepping ({@link #startSteps}), like an evaluation {@link #forward}, with
     * the spikes written into {@code spikes}, which may be {@code current} itself
     * ({@link NeuronSteps#step(INDArray, INDArray)}): the caller owns the step's buffers.
     *
     * @param spikes the shape and data type of {@code current}, written; null for the neuron's own buffer
     * @return the spikes: {@code spikes}, or the neuron's buffer where that is null
     * @throws IllegalStateException when the layer is not stepping
     */
    public INDArray step(INDArray current, INDArray spikes) {
        if (steps == null) {
            throw new IllegalStateException(NAME + " is not stepping through time (startSteps)");
        }
        long started = KernelTimer.start();
        INDArray fired = spikes == null ? steps.step(current) : steps.step(current, spikes);
        KernelTimer.stop(KernelTimer.Kind.NEURONS, started);
        if (countingSteps) {
            stepSpikes += Nd4j.getBlasWrapper().asum(fired.reshape(fired.length()));
            stepElements += fired.length();
            lastFiringRate = stepSpikes / stepElements;
        }
        return fired;
    }

    /** Spikes are 0 or 1, so BLAS's sum of absolute values counts them (ten times faster than libnd4j's sum). */
    private static double rate(INDArray spikes) {
        return Nd4j.getBlasWrapper().asum(spikes.reshape(spikes.length())) / spikes.length();
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        Checks.requireForwardState(NAME, trained);
        // the neuron may reuse the spikes' buffer from here on
        uncountedSpikes = null;
        long started = KernelTimer.start();
        INDArray gradInput = neuron.backward(gradOutput);
        KernelTimer.stop(KernelTimer.Kind.NEURONS, started);
        return gradInput;
    }

    /**
     * Fraction of neurons and time-steps that spiked in the last forward pass (while stepping, in
     * the steps so far, when counted); NaN before any. After a
     * training forward the spikes are counted here, on the first call, so ask before
     * {@link #backward}: from then on the neuron may reuse their buffer, and a rate not asked for by
     * then stays NaN.
     */
    public double lastFiringRate() {
        if (uncountedSpikes != null) {
            lastFiringRate = rate(uncountedSpikes);
            uncountedSpikes = null;
        }
        return lastFiringRate;
    }

    public NeuronModel neuron() {
        return neuron;
    }

    public int timeSteps() {
        return timeSteps;
    }
}
