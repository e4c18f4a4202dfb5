package io.spikeforge.plugins.lif;

import io.spikeforge.api.kernel.HostKernels;
import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.api.neuron.SurrogateFunction;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarAdd;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarReverseSubtraction;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarSubtraction;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The {@link MembraneDynamics} of one layer. Dense FLOAT tensors (training and inference in
 * practice) go through {@link FloatMembraneKernel}, one fused pass per direction. DOUBLE tensors
 * (gradient checks, the reference the fused path is tested against) and views go through ND4J ops
 * as described below: each time-step is a few ND4J ops over all
 * {@code B * C * H * W} elements of that step, seen as row {@code t} of the input reshaped to
 * {@code [T, B*rest]} (a view for contiguous input).
 *
 * <p>Forward, per step: the charge, the spikes and the reset. Where the input gain is 1 and there is
 * no resting pull, the carry between steps is the potential V after the reset and one op charges
 * the next step ({@code H = decay * V + X}, legacy {@code Axpy}); a hard reset is
 * {@code V = H - H*S (+ v_reset * S)}, which is H where S = 0 and exactly v_reset where S = 1.
 * A training-mode forward keeps the charged potential {@code H} of every step, which is all the
 * backward pass needs: spikes and surrogate slopes are recomputed from it.
 *
 * <p>Backward, latest step first: {@code dL/dH[t] = dL/dS[t] * dS/dH[t] + decay * dV[t]/dH[t]
 * * dL/dH[t+1]}, with dV/dH computed in place over H[t] and the last term one {@code Axpy}. The
 * gradient is written over the saved potentials, so a training forward supports one backward.
 * Steps are processed one at a time (ops over all steps at once were slower: their operands no
 * longer stay in the cache). The per-call work space (the forward's carry, the backward's slopes)
 * is a buffer shared by the neurons of a thread, sized for the largest layer, since calls do not
 * overlap; row views of the kept buffers are made once per buffer.
 *
 * <p>Buffers are kept and reused while the data type and sizes repeat; the returned spikes and
 * gradients are such buffers. Supports FLOAT and DOUBLE currents.
 */
final class SpikingNeuron implements NeuronModel {
    /** Per-thread work space of forward and backward calls, by data type; grows to the largest need. */
    private static final ThreadLocal<Map<DataType, INDArray>> WORK_SPACE =
            ThreadLocal.withInitial(() -> new EnumMap<>(DataType.class));

    private final MembraneDynamics dynamics;
    private final SurrogateFunction surrogate;
    /**
     * True when the carry between steps is the potential V itself and one op charges the next step
     * ({@code H = decay * V + X}): input gain 1, no resting pull, and a leak that keeps something.
     * Else the carry is {@code decay * V + restingPull}.
     */
    private final boolean potentialCarry;
    /** The fused path for dense FLOAT tensors; the ops below serve DOUBLE (gradient checks) and views. */
    private final FloatMembraneKernel floatKernel;

    /** Spikes of the last forward, {@code [T, M]}; returned (reshaped) to the caller. */
    private INDArray spikes;
    private INDArray[] spikeRows;
    /** H of the current step in inference mode, {@code [M]}. */
    private INDArray inferenceCharge;

    /**
     * H of every step of the last training forward, {@code [T, M]}; after backward, dL/dcurrent.
     * Null when there is none.
     */
    private INDArray charges;
    private INDArray[] chargeRows;
    private long[] trainedShape;

    SpikingNeuron(MembraneDynamics dynamics, SurrogateFunction surrogate) {
        this.dynamics = Objects.requireNonNull(dynamics, "dynamics");
        this.surrogate = Objects.requireNonNull(surrogate, "surrogate");
        this.potentialCarry = dynamics.inputGain() == 1 && dynamics.restingPull() == 0 && dynamics.decay() != 0;
        this.floatKernel = new FloatMembraneKernel(dynamics, surrogate, firingCutoff(DataType.FLOAT));
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
        INDArray input = current.reshape('c', new long[] {timeSteps, perStep});
        INDArray spikeBuffer = reuse(spikes, type, timeSteps, perStep);
        if (spikeBuffer != spikes) {
            spikes = spikeBuffer;
            spikeRows = rows(spikes);
        }
        boolean fused = HostKernels.isDenseFloat(current);
        if (training) {
            INDArray chargeBuffer = reuse(charges, type, timeSteps, perStep);
            if (chargeBuffer != charges) {
                charges = chargeBuffer;
                chargeRows = rows(charges);
            }
        } else if (!fused) {
            inferenceCharge = reuse(inferenceCharge, type, perStep);
        }
        if (fused) {
            floatKernel.forward(HostKernels.floats(current), HostKernels.floats(spikes),
                    training ? HostKernels.floats(charges) : null, timeSteps, (int) perStep);
            if (training) {
                trainedShape = current.shape().clone();
            }
            return spikes.reshape('c', current.shape());
        }
        INDArray carry = timeSteps > 1 ? workSpace(type, perStep).get(NDArrayIndex.interval(0, perStep)) : null;
        double cutoff = firingCutoff(type);
        OpExecutioner executioner = Nd4j.getExecutioner();
        for (int t = 0; t < timeSteps; t++) {
            INDArray charge = training ? chargeRows[t] : inferenceCharge;
            INDArray spike = spikeRows[t];
            INDArray x = input.getRow(t);
            if (t == 0) {
                firstCharge(x, charge, executioner);
            } else if (potentialCarry) {
                executioner.exec(new Axpy(carry, x, charge, dynamics.decay()));
            } else {
                charge(x, carry, charge, executioner);
            }
            executioner.exec(new Step(charge, spike, cutoff));
            if (t + 1 < timeSteps) {
                resetAndLeak(charge, spike, carry, executioner);
            }
        }
        if (training) {
            trainedShape = current.shape().clone();
        }
        return spikes.reshape('c', current.shape());
    }

    /** {@code H = inputGain * X + decay * initialPotential + restingPull}. */
    private void firstCharge(INDArray input, INDArray charge, OpExecutioner executioner) {
        double initialCarry = dynamics.decay() * dynamics.initialPotential() + dynamics.restingPull();
        double gain = dynamics.inputGain();
        if (gain == 1) {
            executioner.exec(new ScalarAdd(input, null, charge, initialCarry));
        } else {
            executioner.exec(new ScalarMultiplication(input, null, charge, gain));
            charge.addi(initialCarry);
        }
    }

    /** {@code H = inputGain * X + carry}, where the carry is {@code decay * V + restingPull}. */
    private void charge(INDArray input, INDArray carry, INDArray charge, OpExecutioner executioner) {
        double gain = dynamics.inputGain();
        if (gain == 1) {
            executioner.exec(new AddOp(input, carry, charge));
        } else {
            executioner.exec(new ScalarMultiplication(input, null, charge, gain));
            charge.addi(carry);
        }
    }

    /**
     * Sets the carry to V, the potential after the reset ({@link #potentialCarry}), or to
     * {@code decay * V + restingPull}.
     */
    private void resetAndLeak(INDArray charge, INDArray spike, INDArray carry, OpExecutioner executioner) {
        double decay = dynamics.decay();
        if (!potentialCarry && decay == 0) {
            carry.assign(dynamics.restingPull());
            return;
        }
        if (dynamics.reset() == ResetMode.HARD) {
            // V = H - H*S (+ v_reset * S): H where S = 0 and exactly v_reset where S = 1, without rounding
            executioner.exec(new MulOp(charge, spike, carry));
            executioner.exec(new SubOp(charge, carry, carry));
            double resetPotential = dynamics.resetPotential();
            if (resetPotential != 0) {
                executioner.exec(new Axpy(spike, carry, carry, resetPotential));
            }
        } else {
            executioner.exec(new ScalarMultiplication(spike, null, carry, dynamics.threshold()));
            carry.rsubi(charge);
        }
        if (potentialCarry) {
            return;
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
        INDArray upstream = gradSpikes.castTo(type).reshape('c', new long[] {timeSteps, perStep});
        if (type == DataType.FLOAT && HostKernels.isDenseFloat(upstream)) {
            floatKernel.backward(HostKernels.floats(upstream), HostKernels.floats(charges), timeSteps, (int) perStep);
            INDArray gradient = charges.reshape('c', trainedShape);
            trainedShape = null;
            return gradient;
        }
        OpExecutioner executioner = Nd4j.getExecutioner();
        boolean leaks = dynamics.decay() != 0;
        INDArray workSpace = workSpace(type, 2 * perStep);
        INDArray slope = workSpace.get(NDArrayIndex.interval(0, perStep));
        INDArray potentialSlope = workSpace.get(NDArrayIndex.interval(perStep, 2 * perStep));
        // Row t of charges holds H[t] until it is replaced by dL/dH[t], latest step first: the path
        // through step t+1 needs dL/dH[t+1], and dV[t]/dH[t] is computed from H[t] in place.
        for (int t = timeSteps - 1; t >= 0; t--) {
            INDArray here = chargeRows[t];
            // dS/dH
            executioner.exec(new ScalarSubtraction(here, null, slope, dynamics.threshold()));
            surrogate.derivative(slope, slope);
            if (leaks && t + 1 < timeSteps) {
                // here: H -> dV/dH -> dV/dH * dL/dH[t+1]; then dL/dH[t] = dL/dS * dS/dH + decay * here
                potentialSlope(here, slope, potentialSlope, executioner);
                executioner.exec(new MulOp(here, chargeRows[t + 1], here));
                executioner.exec(new MulOp(slope, upstream.getRow(t), slope));
                executioner.exec(new Axpy(here, slope, here, dynamics.decay()));
            } else {
                executioner.exec(new MulOp(slope, upstream.getRow(t), here));
            }
        }
        if (dynamics.inputGain() != 1) {
            charges.muli(dynamics.inputGain());
        }
        INDArray gradient = charges.reshape('c', trainedShape);
        trainedShape = null;
        return gradient;
    }

    /**
     * Replaces {@code charge} (H of one step) by dV/dH: detached hard reset {@code 1 - S},
     * detached soft reset 1; attached resets add {@code (resetPotential - H) * dS/dH} (hard) or
     * {@code -threshold * dS/dH} (soft).
     *
     * @param slope dS/dH of the same step
     * @param work as long as {@code charge}, overwritten
     */
    private void potentialSlope(INDArray charge, INDArray slope, INDArray work, OpExecutioner executioner) {
        double cutoff = firingCutoff(charge.dataType());
        if (dynamics.reset() == ResetMode.HARD) {
            if (dynamics.detachReset()) {
                executioner.exec(new Step(charge, charge, cutoff));
                executioner.exec(new ScalarReverseSubtraction(charge, null, charge, 1.0));
                return;
            }
            executioner.exec(new Step(charge, work, cutoff));
            executioner.exec(new ScalarReverseSubtraction(work, null, work, 1.0));
            executioner.exec(new ScalarReverseSubtraction(charge, null, charge, dynamics.resetPotential()));
            executioner.exec(new MulOp(charge, slope, charge));
            executioner.exec(new AddOp(work, charge, charge));
        } else if (dynamics.detachReset()) {
            charge.assign(1.0);
        } else {
            executioner.exec(new ScalarMultiplication(slope, null, charge, -dynamics.threshold()));
            executioner.exec(new ScalarAdd(charge, null, charge, 1.0));
        }
    }

    @Override
    public void clear() {
        spikes = null;
        spikeRows = null;
        inferenceCharge = null;
        charges = null;
        chargeRows = null;
        trainedShape = null;
    }

    @Override
    public OptionalDouble threshold() {
        return OptionalDouble.of(dynamics.threshold());
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

    /** The row views of a {@code [T, M]} array, made once per array (a view costs tens of microseconds). */
    private static INDArray[] rows(INDArray matrix) {
        INDArray[] rows = new INDArray[(int) matrix.size(0)];
        for (int t = 0; t < rows.length; t++) {
            rows[t] = matrix.getRow(t);
        }
        return rows;
    }

    /**
     * The thread's work space of {@code type} with at least {@code length} elements, a flat array
     * outside any ND4J workspace; contents undefined. Reallocated only to grow.
     */
    private static INDArray workSpace(DataType type, long length) {
        Map<DataType, INDArray> spaces = WORK_SPACE.get();
        INDArray space = spaces.get(type);
        if (space == null || space.length() < length) {
            try (MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                space = Nd4j.createUninitialized(type, length);
            }
            spaces.put(type, space);
        }
        return space;
    }
}
