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
 * backward pass needs: spikes and surrogate slopes are recomputed from it. The backward pass writes
 * the gradient over those potentials, step by step from the last, so it needs no tensor of its own;
 * a training forward therefore supports one backward. Buffers are kept and reused while the data
 * type and sizes repeat; the returned spikes and gradients are such buffers. Supports FLOAT and
 * DOUBLE currents.
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
    /** A second per-step work space, {@code [M]}, for the gradient of a reset that is not detached. */
    private INDArray scratch2;
    /** H of the current step in inference mode, {@code [M]}. */
    private INDArray inferenceCharge;

    /**
     * H of every step of the last training forward, {@code [T, M]}; after backward, dL/dcurrent.
     * Null when there is none.
     */
    private INDArray charges;
    private long[] trainedShape;

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
                    + " this neuron was created or cleared, or its backward already ran");
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
        double cutoff = firingCutoff(type);
        boolean leaks = dynamics.decay() != 0;
        if (leaks) {
            scratch = reuse(scratch, type, perStep);
            if (!dynamics.detachReset()) {
                scratch2 = reuse(scratch2, type, perStep);
            }
        }
        // Row t of charges holds H[t] until it is replaced by dL/dH[t], latest step first: the path
        // through step t+1 needs dL/dH[t+1] and the reset slope dV[t]/dH[t], which is taken from H[t]
        // before the row is overwritten.
        for (int t = timeSteps - 1; t >= 0; t--) {
            INDArray here = charges.getRow(t);
            boolean pathThroughNextStep = leaks && t + 1 < timeSteps;
            if (pathThroughNextStep) {
                resetSlope(here, cutoff, executioner);
            } else {
                ownPath(here, here);
            }
            here.muli(upstream.getRow(t));
            if (pathThroughNextStep) {
                // dL/dH[t] += dL/dH[t+1] * decay * dV[t]/dH[t]
                scratch.muli(charges.getRow(t + 1));
                if (dynamics.decay() != 1) {
                    scratch.muli(dynamics.decay());
                }
                here.addi(scratch);
            }
        }
        if (dynamics.inputGain() != 1) {
            charges.muli(dynamics.inputGain());
        }
        INDArray gradient = charges.reshape('c', trainedShape);
        trainedShape = null;
        return gradient;
    }

    /** {@code out = dS/dH = surrogate(H - threshold)}; {@code out} may be {@code charge}. */
    private void ownPath(INDArray charge, INDArray out) {
        Nd4j.getExecutioner().exec(new ScalarSubtraction(charge, null, out, dynamics.threshold()));
        surrogate.derivative(out, out);
    }

    /**
     * Puts dV/dH of one step into {@link #scratch} and replaces {@code charge} (H) by dS/dH.
     * Detached hard reset: {@code 1 - S}; detached soft reset: 1; attached resets add
     * {@code (resetPotential - H) * dS/dH} (hard) or {@code -threshold * dS/dH} (soft).
     */
    private void resetSlope(INDArray charge, double cutoff, OpExecutioner executioner) {
        boolean hard = dynamics.reset() == ResetMode.HARD;
        if (hard) {
            executioner.exec(new Step(charge, scratch, cutoff));
            executioner.exec(new ScalarReverseSubtraction(scratch, null, scratch, 1.0));
        } else {
            scratch.assign(1.0);
        }
        if (dynamics.detachReset()) {
            ownPath(charge, charge);
            return;
        }
        ownPath(charge, scratch2);
        if (hard) {
            executioner.exec(new ScalarReverseSubtraction(charge, null, charge, dynamics.resetPotential()));
            charge.muli(scratch2);
            scratch.addi(charge);
        } else {
            executioner.exec(new ScalarMultiplication(scratch2, null, charge, -dynamics.threshold()));
            scratch.addi(charge);
        }
        charge.assign(scratch2);
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
