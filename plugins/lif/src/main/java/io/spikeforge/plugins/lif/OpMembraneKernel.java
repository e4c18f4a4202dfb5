package io.spikeforge.plugins.lif;

import io.spikeforge.api.kernel.KernelPath;
import io.spikeforge.api.neuron.SurrogateFunction;
import java.util.EnumMap;
import java.util.Map;
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
 * {@link MembraneDynamics} as ND4J ops ({@link KernelPath#ND4J_OPS}): every backend, FLOAT and
 * DOUBLE, any layout of the current. It serves DOUBLE (gradient checks), strided currents, and
 * FLOAT where the backend keeps arrays off the host; it is the reference {@link FusedMembraneKernel}
 * is tested against. Each time-step is a few ND4J ops over all {@code B * C * H * W} elements of
 * that step, row {@code t} of the {@code [T, M]} tensors.
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
 * gradient is written over the saved potentials. Steps are processed one at a time (ops over all
 * steps at once were slower: their operands no longer stay in the cache). The per-call work space
 * (the forward's carry, the backward's slopes) is a buffer shared by the neurons of a thread, sized
 * for the largest layer, since calls do not overlap; row views of the layer's buffers are made once
 * per buffer.
 */
final class OpMembraneKernel implements MembraneKernel {
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
    private final RowViews spikeRows = new RowViews();
    private final RowViews chargeRows = new RowViews();
    /** H of the current step in inference mode, {@code [M]}. */
    private INDArray inferenceCharge;

    OpMembraneKernel(MembraneDynamics dynamics, SurrogateFunction surrogate) {
        this.dynamics = dynamics;
        this.surrogate = surrogate;
        this.potentialCarry = dynamics.inputGain() == 1 && dynamics.restingPull() == 0 && dynamics.decay() != 0;
    }

    @Override
    public KernelPath path() {
        return KernelPath.ND4J_OPS;
    }

    @Override
    public void forward(INDArray input, INDArray spikes, INDArray charges) {
        DataType type = spikes.dataType();
        int timeSteps = (int) spikes.size(0);
        long perStep = spikes.size(1);
        INDArray[] spikeRow = spikeRows.of(spikes);
        INDArray[] chargeRow = charges == null ? null : chargeRows.of(charges);
        if (charges == null) {
            inferenceCharge = SpikingNeuron.reuse(inferenceCharge, type, perStep);
        }
        INDArray carry = timeSteps > 1 ? workSpace(type, perStep).get(NDArrayIndex.interval(0, perStep)) : null;
        double cutoff = dynamics.firingCutoff(type);
        OpExecutioner executioner = Nd4j.getExecutioner();
        for (int t = 0; t < timeSteps; t++) {
            INDArray charge = charges != null ? chargeRow[t] : inferenceCharge;
            INDArray spike = spikeRow[t];
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
    }

    /** The state is the carry of {@link #forward}'s loop; the work space holds the step's H. */
    @Override
    public void step(INDArray current, INDArray spikes, INDArray state, INDArray work, boolean first) {
        OpExecutioner executioner = Nd4j.getExecutioner();
        if (first) {
            firstCharge(current, work, executioner);
        } else if (potentialCarry) {
            executioner.exec(new Axpy(state, current, work, dynamics.decay()));
        } else {
            charge(current, state, work, executioner);
        }
        executioner.exec(new Step(work, spikes, dynamics.firingCutoff(spikes.dataType())));
        resetAndLeak(work, spikes, state, executioner);
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
    public void backward(INDArray upstream, INDArray charges) {
        DataType type = charges.dataType();
        int timeSteps = (int) charges.size(0);
        long perStep = charges.size(1);
        INDArray[] chargeRow = chargeRows.of(charges);
        OpExecutioner executioner = Nd4j.getExecutioner();
        boolean leaks = dynamics.decay() != 0;
        INDArray workSpace = workSpace(type, 2 * perStep);
        INDArray slope = workSpace.get(NDArrayIndex.interval(0, perStep));
        INDArray potentialSlope = workSpace.get(NDArrayIndex.interval(perStep, 2 * perStep));
        // Row t of charges holds H[t] until it is replaced by dL/dH[t], latest step first: the path
        // through step t+1 needs dL/dH[t+1], and dV[t]/dH[t] is computed from H[t] in place.
        for (int t = timeSteps - 1; t >= 0; t--) {
            INDArray here = chargeRow[t];
            // dS/dH
            executioner.exec(new ScalarSubtraction(here, null, slope, dynamics.threshold()));
            surrogate.derivative(slope, slope);
            if (leaks && t + 1 < timeSteps) {
                // here: H -> dV/dH -> dV/dH * dL/dH[t+1]; then dL/dH[t] = dL/dS * dS/dH + decay * here
                potentialSlope(here, slope, potentialSlope, executioner);
                executioner.exec(new MulOp(here, chargeRow[t + 1], here));
                executioner.exec(new MulOp(slope, upstream.getRow(t), slope));
                executioner.exec(new Axpy(here, slope, here, dynamics.decay()));
            } else {
                executioner.exec(new MulOp(slope, upstream.getRow(t), here));
            }
        }
        if (dynamics.inputGain() != 1) {
            charges.muli(dynamics.inputGain());
        }
    }

    @Override
    public void clear() {
        spikeRows.clear();
        chargeRows.clear();
        inferenceCharge = null;
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
        double cutoff = dynamics.firingCutoff(charge.dataType());
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

    /**
     * The row views of one {@code [T, M]} buffer, made again only when the buffer changes (a view
     * costs tens of microseconds).
     */
    private static final class RowViews {
        private INDArray matrix;
        private INDArray[] rows;

        INDArray[] of(INDArray buffer) {
            if (buffer != matrix) {
                rows = new INDArray[(int) buffer.size(0)];
                for (int t = 0; t < rows.length; t++) {
                    rows[t] = buffer.getRow(t);
                }
                matrix = buffer;
            }
            return rows;
        }

        void clear() {
            matrix = null;
            rows = null;
        }
    }
}
