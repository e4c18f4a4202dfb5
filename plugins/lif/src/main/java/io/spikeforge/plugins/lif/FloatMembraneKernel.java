package io.spikeforge.plugins.lif;

import io.spikeforge.api.kernel.HostKernels;
import io.spikeforge.api.kernel.KernelPath;
import io.spikeforge.api.neuron.SurrogateFunction;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link MembraneDynamics} over dense FLOAT {@code [T, M]} tensors in host memory as one fused Java
 * loop per direction ({@link KernelPath#HOST_FLOAT}), where {@link OpMembraneKernel} makes four
 * (forward) to eleven (backward) passes over every step.
 *
 * <p>The M neurons are processed in chunks of {@link #CHUNK}: a chunk's inputs of step t are copied
 * into heap arrays (bulk copies run at memcpy speed), all T steps run on them with the potential
 * between steps kept in a heap array, and the results are copied out. Loops over heap arrays without
 * branches are vectorized by the JIT (loops over NIO buffers are not); spikes use
 * {@link HostKernels#step}. Chunks are independent, so they are split over the host's threads and
 * the results do not depend on the split.
 *
 * <p>The kernel is factored as SpikingJelly's {@code BaseNode}: the neuron's {@link ChunkCharge}
 * supplies the charge {@code H[t] = f(V[t-1], X[t])} and its derivatives on one chunk's arrays
 * ({@link LinearChunkCharge} for {@code lif} and {@code if}); the kernel drives the chunks over time
 * and neurons, fires ({@code S = H > cutoff}), resets (hard {@code V = H - H * S + resetPotential * S},
 * soft {@code V = H - threshold * S}) and back-propagates through the surrogate and the reset.
 * Arithmetic is float, like the op-by-op path.
 *
 * <p>A NaN current gives a NaN spike (the op path gives 0), so a diverged layer shows up as a
 * non-finite loss, which stops training with a message, instead of passing for silence.
 */
final class FloatMembraneKernel implements MembraneKernel {
    /** Neurons per chunk: the chunk's four working arrays (16 KB) stay in the L1 cache. */
    static final int CHUNK = 1024;

    private final ChunkCharge chargeStep;
    private final SurrogateFunction surrogate;
    /** The firing and reset constants in float, the precision the loops compute in. */
    private final float cutoff;
    private final float resetPotential;
    private final float threshold;
    private final boolean hard;
    private final boolean detach;

    FloatMembraneKernel(MembraneDynamics dynamics, ChunkCharge chargeStep, SurrogateFunction surrogate) {
        this.chargeStep = chargeStep;
        this.surrogate = surrogate;
        this.cutoff = (float) dynamics.firingCutoff(DataType.FLOAT);
        this.resetPotential = (float) dynamics.resetPotential();
        this.threshold = (float) dynamics.threshold();
        this.hard = dynamics.reset() == ResetMode.HARD;
        this.detach = dynamics.detachReset();
    }

    @Override
    public KernelPath path() {
        return KernelPath.HOST_FLOAT;
    }

    @Override
    public void forward(INDArray current, INDArray spikes, INDArray charges) {
        forward(HostKernels.floats(current), HostKernels.floats(spikes),
                charges == null ? null : HostKernels.floats(charges), (int) spikes.size(0), (int) spikes.size(1));
    }

    @Override
    public void backward(INDArray gradSpikes, INDArray charges) {
        backward(HostKernels.floats(gradSpikes), HostKernels.floats(charges), (int) charges.size(0),
                (int) charges.size(1));
    }

    /** Nothing to drop: the scratch arrays belong to the threads. */
    @Override
    public void clear() {
    }

    /**
     * Runs the T steps.
     *
     * @param current X, {@code [T, M]}
     * @param spikes S, {@code [T, M]}, written
     * @param charges H of every step, {@code [T, M]}, written; null in inference
     */
    private void forward(FloatBuffer current, FloatBuffer spikes, FloatBuffer charges, int timeSteps, int neurons) {
        HostKernels.forRanges(neurons, CHUNK, (from, to) -> {
            Scratch scratch = Scratch.ofThread();
            float[] charge = scratch.first;
            float[] spike = scratch.second;
            float[] potential = scratch.third;
            for (int start = from; start < to; start += CHUNK) {
                int length = Math.min(CHUNK, to - start);
                for (int t = 0; t < timeSteps; t++) {
                    int offset = t * neurons + start;
                    current.get(offset, charge, 0, length);
                    if (t == 0 || !chargeStep.usesPotential()) {
                        chargeStep.chargeFirst(charge, charge, length);
                    } else {
                        chargeStep.charge(charge, potential, charge, length);
                    }
                    for (int i = 0; i < length; i++) {
                        spike[i] = HostKernels.step(charge[i] - cutoff);
                    }
                    if (t + 1 < timeSteps && chargeStep.usesPotential()) {
                        if (hard) {
                            for (int i = 0; i < length; i++) {
                                float h = charge[i];
                                float s = spike[i];
                                potential[i] = h - h * s + resetPotential * s;
                            }
                        } else {
                            for (int i = 0; i < length; i++) {
                                potential[i] = charge[i] - threshold * spike[i];
                            }
                        }
                    }
                    spikes.put(offset, spike, 0, length);
                    if (charges != null) {
                        charges.put(offset, charge, 0, length);
                    }
                }
            }
        });
    }

    /**
     * Back-propagation through time: replaces the charges H of every step by dL/dX. With the reset's
     * slope {@code dV/dH}, {@code dL/dH[t] = dL/dS dS/dH + dH[t+1]/dV (dV/dH dL/dH[t+1])}.
     *
     * @param gradSpikes dL/dS, {@code [T, M]}
     * @param charges H of the forward, {@code [T, M]}; overwritten with dL/dX
     */
    private void backward(FloatBuffer gradSpikes, FloatBuffer charges, int timeSteps, int neurons) {
        HostKernels.forRanges(neurons, CHUNK, (from, to) -> {
            Scratch scratch = Scratch.ofThread();
            float[] charge = scratch.first;
            float[] grad = scratch.second;
            float[] later = scratch.third;
            float[] slope = scratch.fourth;
            for (int start = from; start < to; start += CHUNK) {
                int length = Math.min(CHUNK, to - start);
                for (int t = timeSteps - 1; t >= 0; t--) {
                    int offset = t * neurons + start;
                    charges.get(offset, charge, 0, length);
                    gradSpikes.get(offset, grad, 0, length);
                    for (int i = 0; i < length; i++) {
                        slope[i] = charge[i] - threshold;
                    }
                    surrogate.derivative(slope, slope, length);
                    if (chargeStep.usesPotential() && t + 1 < timeSteps) {
                        resetGradient(charge, slope, later, length);
                        chargeStep.potentialGradient(later, later, length);
                        for (int i = 0; i < length; i++) {
                            later[i] = grad[i] * slope[i] + later[i];
                        }
                    } else {
                        for (int i = 0; i < length; i++) {
                            later[i] = grad[i] * slope[i];
                        }
                    }
                    chargeStep.inputGradient(later, charge, length);
                    charges.put(offset, charge, 0, length);
                }
            }
        });
    }

    /** Replaces dL/dV[t] in {@code grad} by dL/dV[t] dV/dH[t], the gradient through the reset. */
    private void resetGradient(float[] charge, float[] slope, float[] grad, int length) {
        if (hard && detach) {
            for (int i = 0; i < length; i++) {
                grad[i] = (1f - HostKernels.step(charge[i] - cutoff)) * grad[i];
            }
        } else if (hard) {
            for (int i = 0; i < length; i++) {
                float h = charge[i];
                grad[i] = (1f - HostKernels.step(h - cutoff) + (resetPotential - h) * slope[i]) * grad[i];
            }
        } else if (!detach) {
            for (int i = 0; i < length; i++) {
                grad[i] = (1f - threshold * slope[i]) * grad[i];
            }
        }
    }

    /** A thread's four chunk arrays, made once per thread. */
    private static final class Scratch {
        private static final ThreadLocal<Scratch> OF_THREAD = ThreadLocal.withInitial(Scratch::new);

        final float[] first = new float[CHUNK];
        final float[] second = new float[CHUNK];
        final float[] third = new float[CHUNK];
        final float[] fourth = new float[CHUNK];

        static Scratch ofThread() {
            return OF_THREAD.get();
        }
    }
}
