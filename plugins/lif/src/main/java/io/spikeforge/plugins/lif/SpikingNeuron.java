package io.spikeforge.plugins.lif;

import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.api.neuron.SurrogateFunction;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarAdd;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarReverseSubtraction;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarSubtraction;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The {@link MembraneDynamics} of one layer, vectorized: each time-step is a handful of ND4J ops over
 * all {@code B * C * H * W} elements of that step, seen as row {@code t} of the input reshaped to
 * {@code [T, B*rest]} (a view for contiguous input).
 *
 * <p>A training-mode forward keeps the charged potential {@code H} of every step, which is all the
 * backward pass needs: spikes and surrogate slopes are recomputed from it. Buffers are kept and reused
 * while the data type and sizes repeat; the returned spikes and gradients are such buffers.
 * Supports FLOAT and DOUBLE currents.
 */
final class SpikingNeuron implements NeuronModel {
    private final MembraneDynamics dynamics;
    private final SurrogateFunction surrogate;

    /** Spikes of the last forward, {@code [T, M]}; returned (reshaped) to the caller. */
    private INDArray spikes;
    /** What the next step's charge starts from: {@code decay * V + restingPull}, {@code [M]}. */
    private INDArray carry;
    /** Per-step work space, {@code [M]}. */
    private INDArray scratch;
    /** A second per-step work space, {@code [M]}, for the non-detached hard reset's gradient. */
    private INDArray scratch2;
    /** H of the current step in inference mode, {@code [M]}. */
    private INDArray inferenceCharge;

    /** H of every step of the last training forward, {@code [T, M]}; null when there is none. */
    private INDArray charges;
    private long[] trainedShape;
    /** dL/dH, then dL/dcurrent, {@code [T, M]}. */
    private INDArray gradient;
    /** dS/dH of every step, {@code [T, M]}; kept only when the reset is not detached. */
    private INDArray slopes;

    SpikingNeuron(MembraneDynamics dynamics, SurrogateFunction surrogate) {
        this.dynamics = Objects.requireNonNull(dynamics, "dynamics");
        this.surrogate = Objects.requireNonNull(surrogate, "surrogate");
    }

    @Override
    public INDArray forward(INDArray current, int timeSteps, boolean training) {
        Objects.requireNonNull(current, "current");
        DataType type = requireSupportedType(current.dataType(), "current");
        if (timeSteps < 1) {
            throw new IllegalArgumentException("timeSteps must be at least 1, got " + timeSteps);
        }
        if (current.rank() == 0 || current.size(0) % timeSteps != 0) {
            throw new IllegalArgumentException("current must have shape [T*B, ...] with T = timeSteps = " + timeSteps
                    + ", got shape " + Arrays.toString(current.shape()));
        }
        long perStep = current.length() / timeSteps;
        INDArray input = current.reshape('c', timeSteps, perStep);
        spikes = reuse(spikes, type, timeSteps, perStep);
        carry = reuse(carry, type, perStep);
        if (training) {
            charges = reuse(charges, type, timeSteps, perStep);
        } else {
            inferenceCharge = reuse(inferenceCharge, type, perStep);
        }
        double cutoff = firingCutoff(type);
        OpExecutioner executioner = Nd4j.getExecutioner();
        for (int t = 0; t < timeSteps; t++) {
            INDArray charge = training ? charges.getRow(t) : inferenceCharge;
            INDArray spike = spikes.getRow(t);
            charge(input.getRow(t), charge, t == 0, executioner);
            executioner.exec(new Step(charge, spike, cutoff));
            if (t + 1 < timeSteps) {
                resetAndLeak(charge, spike, executioner);
            }
        }
        if (training) {
            trainedShape = current.shape().clone();
        }
        return spikes.reshape('c', current.shape());
    }

    /** {@code H = inputGain * X + carry}, where the carry before the first step is a constant. */
    private void charge(INDArray input, INDArray charge, boolean firstStep, OpExecutioner executioner) {
        double gain = dynamics.inputGain();
        if (firstStep) {
            double initialCarry = dynamics.decay() * dynamics.initialPotential() + dynamics.restingPull();
            if (gain == 1) {
                executioner.exec(new ScalarAdd(input, null, charge, initialCarry));
            } else {
                executioner.exec(new ScalarMultiplication(input, null, charge, gain));
                charge.addi(initialCarry);
            }
        } else if (gain == 1) {
            executioner.exec(new AddOp(input, carry, charge));
        } else {
            executioner.exec(new ScalarMultiplication(input, null, charge, gain));
            charge.addi(carry);
        }
    }

    /** {@code carry = decay * V + restingPull}, with V the potential after the reset. */
    private void resetAndLeak(INDArray charge, INDArray spike, OpExecutioner executioner) {
        double decay = dynamics.decay();
        if (decay == 0) {
            carry.assign(dynamics.restingPull());
            return;
        }
        if (dynamics.reset() == ResetMode.HARD) {
            // H - H*S is H where S = 0 and exactly 0 where S = 1; the reset potential is then added
            // where S = 1, so V equals the scalar rule S ? v_reset : H without rounding.
            executioner.exec(new MulOp(charge, spike, carry));
            carry.rsubi(charge);
            double resetPotential = dynamics.resetPotential();
            if (resetPotential != 0) {
                scratch = reuse(scratch, carry.dataType(), carry.length());
                executioner.exec(new ScalarMultiplication(spike, null, scratch, resetPotential));
                carry.addi(scratch);
            }
        } else {
            executioner.exec(new ScalarMultiplication(spike, null, carry, dynamics.threshold()));
            carry.rsubi(charge);
        }
        if (decay != 1) {
            carry.muli(decay);
        }
        double restingPull = dynamics.restingPull();
        if (restingPull != 0) {
            carry.addi(restingPull);
        }
    }

    @Override
    public INDArray backward(INDArray gradSpikes) {
        Objects.requireNonNull(gradSpikes, "gradSpikes");
        if (charges == null || trainedShape == null) {
            throw new IllegalStateException("backward needs a training-mode forward first; there was none since"
                    + " this neuron was created or cleared");
        }
        if (!Arrays.equals(gradSpikes.shape(), trainedShape)) {
            throw new IllegalArgumentException("gradSpikes must have the shape of the spikes of the last training"
                    + " forward, " + Arrays.toString(trainedShape) + ", got " + Arrays.toString(gradSpikes.shape()));
        }
        requireSupportedType(gradSpikes.dataType(), "gradSpikes");
        DataType type = charges.dataType();
        int timeSteps = (int) charges.size(0);
        long perStep = charges.size(1);
        INDArray upstream = gradSpikes.castTo(type).reshape('c', timeSteps, perStep);
        OpExecutioner executioner = Nd4j.getExecutioner();

        gradient = reuse(gradient, type, timeSteps, perStep);
        executioner.exec(new ScalarSubtraction(charges, null, gradient, dynamics.threshold()));
        surrogate.derivative(gradient, gradient);
        if (!dynamics.detachReset()) {
            slopes = reuse(slopes, type, timeSteps, perStep);
            slopes.assign(gradient);
        }
        // Each step's own path to the loss; the loop below adds the paths through later steps.
        gradient.muli(upstream);
        if (dynamics.decay() != 0) {
            double cutoff = firingCutoff(type);
            scratch = reuse(scratch, type, perStep);
            for (int t = timeSteps - 2; t >= 0; t--) {
                addPathThroughNextStep(t, cutoff, executioner);
            }
        }
        if (dynamics.inputGain() != 1) {
            gradient.muli(dynamics.inputGain());
        }
        return gradient.reshape('c', trainedShape);
    }

    /** {@code dL/dH[t] += dL/dH[t+1] * decay * dV[t]/dH[t]}. */
    private void addPathThroughNextStep(int t, double cutoff, OpExecutioner executioner) {
        INDArray next = gradient.getRow(t + 1);
        INDArray here = gradient.getRow(t);
        double decay = dynamics.decay();
        if (dynamics.reset() == ResetMode.SOFT && dynamics.detachReset()) {
            // dV/dH = 1: only the leak scales the path.
            if (decay == 1) {
                here.addi(next);
            } else {
                executioner.exec(new ScalarMultiplication(next, null, scratch, decay));
                here.addi(scratch);
            }
            return;
        }
        INDArray resetSlope = scratch;
        INDArray charge = charges.getRow(t);
        if (dynamics.reset() == ResetMode.HARD) {
            executioner.exec(new Step(charge, resetSlope, cutoff));
            executioner.exec(new ScalarReverseSubtraction(resetSlope, null, resetSlope, 1.0));
            if (!dynamics.detachReset()) {
                scratch2 = reuse(scratch2, resetSlope.dataType(), resetSlope.length());
                executioner.exec(new ScalarReverseSubtraction(charge, null, scratch2, dynamics.resetPotential()));
                scratch2.muli(slopes.getRow(t));
                resetSlope.addi(scratch2);
            }
        } else {
            executioner.exec(new ScalarMultiplication(slopes.getRow(t), null, resetSlope, -dynamics.threshold()));
            resetSlope.addi(1.0);
        }
        resetSlope.muli(next);
        if (decay != 1) {
            resetSlope.muli(decay);
        }
        here.addi(resetSlope);
    }

    @Override
    public void clear() {
        spikes = null;
        carry = null;
        scratch = null;
        scratch2 = null;
        inferenceCharge = null;
        charges = null;
        trainedShape = null;
        gradient = null;
        slopes = null;
    }

    /**
     * The cutoff c of the strict step {@code S = H > c}: the threshold, or for firing at the threshold,
     * the largest number of the data type below it, since {@code H >= threshold} is then {@code H > c}.
     */
    private double firingCutoff(DataType type) {
        double threshold = dynamics.threshold();
        if (!dynamics.fireAtThreshold()) {
            return threshold;
        }
        return type == DataType.FLOAT ? Math.nextDown((float) threshold) : Math.nextDown(threshold);
    }

    private static DataType requireSupportedType(DataType type, String what) {
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException(what + " must be FLOAT or DOUBLE, got " + type);
        }
        return type;
    }

    /** {@code buffer} when it has the wanted type and shape, else a new uninitialized array. */
    private static INDArray reuse(INDArray buffer, DataType type, long... shape) {
        if (buffer != null && buffer.dataType() == type && Arrays.equals(buffer.shape(), shape)) {
            return buffer;
        }
        return Nd4j.createUninitialized(type, shape);
    }
}
