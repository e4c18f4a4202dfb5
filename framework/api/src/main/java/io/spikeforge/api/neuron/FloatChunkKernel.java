package io.spikeforge.api.neuron;

import io.spikeforge.api.kernel.HostKernels;
import io.spikeforge.api.kernel.KernelPath;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The fused float path of a spiking neuron ({@link KernelPath#HOST_FLOAT}): the firing, reset and
 * back-propagation through time of {@link BaseNeuron}, over dense FLOAT {@code [T, M]} tensors in
 * host memory, as one Java loop per direction, with the charge step supplied by the neuron
 * ({@link ChunkCharge}). Factored as SpikingJelly's {@code BaseNode}: the charge
 * {@code H[t] = f(V[t-1], X[t])} is the neuron's; firing ({@code S = H >= theta[t]}, or {@code >}),
 * hard ({@code V = H - H S + v_reset S}) or soft ({@code V = H - theta[t] S}) reset, the adaptive
 * threshold {@code theta[t] = theta + beta a[t]}, {@code a[t+1] = rho a[t] + (1 - rho) S[t]}, and
 * their gradients are this kernel's.
 *
 * <p>The M neurons are processed in chunks of {@link #CHUNK}: a chunk's inputs of step t are copied
 * into heap arrays (bulk copies run at memcpy speed), all T steps run on them with the state between
 * steps kept in heap arrays, and the results are copied out. Loops over heap arrays without branches
 * are vectorized by the JIT (loops over NIO buffers are not); spikes use {@link HostKernels#step}.
 * Chunks are split over the host's threads. Element results come from the element's inputs alone;
 * the gradients of the trainable threshold and of the charge's parameters are summed per chunk, in
 * a fixed order, into one partial sum per chunk, and the partial sums are added in chunk order: the
 * numbers do not depend on the number of threads.
 *
 * <p>Backward needs the charged potential H of every step, which the training forward writes, and,
 * for a charge with parameters, the input X; the potential after each reset and the adaptation are
 * recomputed from H. Arithmetic is float; sums are double. A NaN current gives a NaN spike, so a
 * diverged layer shows up as a non-finite loss instead of passing for silence.
 *
 * <p>The forward can also apply a per-channel affine map to the current as it reads each chunk
 * ({@link ChannelAffine}): a batch-normalization layer's output then exists one chunk at a time,
 * in the threads' scratch arrays, never as a tensor. An instance serves one layer (it keeps the
 * tiled coefficients of the last such call); calls on it must not overlap.
 */
public final class FloatChunkKernel {
    /** Neurons per chunk: a chunk's working arrays (4 KB each) stay in the L1 and L2 caches. */
    public static final int CHUNK = 1024;

    private final SurrogateFunction surrogate;
    private final int chunk;
    private final int maxParts;
    private final float resetPotential;
    private final boolean hard;
    private final boolean detach;
    private final boolean fireAtThreshold;
    private final boolean adaptive;
    private final float adaptation;
    private final float adaptationDecay;
    private final boolean thresholdGradient;
    /** The last affine map's tiled coefficients ({@link #tiled}), kept so that repeated calls allocate nothing. */
    private float[] tiledScale;
    private float[] tiledShift;

    /**
     * @param firing how the neurons fire and reset; a trainable threshold gets its gradient
     * @param surrogate dS/dH for the backward pass
     */
    public FloatChunkKernel(BaseNeuron.Firing firing, SurrogateFunction surrogate) {
        this(firing, surrogate, CHUNK, 0);
    }

    /**
     * @param chunk neurons per chunk
     * @param maxParts the ranges of chunks the work is split into at most (more than the host's
     *     threads only queue up); 0 for one per thread, {@link HostKernels#threads()}
     */
    FloatChunkKernel(BaseNeuron.Firing firing, SurrogateFunction surrogate, int chunk, int maxParts) {
        Objects.requireNonNull(firing, "firing");
        this.surrogate = Objects.requireNonNull(surrogate, "surrogate");
        if (chunk < 1 || maxParts < 0) {
            throw new IllegalArgumentException("chunk must be at least 1 and maxParts at least 0, got " + chunk + ", "
                    + maxParts);
        }
        this.chunk = chunk;
        this.maxParts = maxParts;
        this.resetPotential = (float) firing.resetPotential();
        this.hard = !firing.softReset();
        this.detach = firing.detachReset();
        this.fireAtThreshold = firing.fireAtThreshold();
        this.adaptive = firing.adaptive();
        this.adaptation = (float) firing.adaptation();
        this.adaptationDecay = (float) firing.adaptationDecay();
        this.thresholdGradient = firing.trainableThreshold();
    }

    /**
     * Runs the T steps from the initial state.
     *
     * @param charge the charge step
     * @param threshold theta, the threshold now (the trainable one's value)
     * @param current X, {@code [T, M]}, dense FLOAT
     * @param spikes S, {@code [T, M]}, written
     * @param charges H of every step, {@code [T, M]}, written; null in inference
     */
    public void forward(ChunkCharge charge, double threshold, INDArray current, INDArray spikes, INDArray charges) {
        forward(charge, threshold, current, null, spikes, charges, null);
    }

    /**
     * Runs the T steps from the initial state on the current {@code affine} maps {@code current} to
     * ({@link ChannelAffine}), applied to each chunk as it is read, so that the mapped current is
     * never stored; and keeps the mapped current where {@code inputs} is given.
     *
     * @param affine the per-channel map of the current; null for none
     * @param inputs the (mapped) current X, {@code [T, M]}, written: what backward needs for a
     *     charge with parameters; null where nothing needs it
     * @throws IllegalArgumentException when M is not a multiple of the affine map's channels
     */
    public void forward(ChunkCharge charge, double threshold, INDArray current, ChannelAffine affine, INDArray spikes,
                        INDArray charges, INDArray inputs) {
        int neurons = (int) spikes.size(1);
        if (affine != null && neurons % affine.channels() != 0) {
            throw new IllegalArgumentException(neurons + " neurons per step are not whole positions of "
                    + affine.channels() + " channels");
        }
        forward(charge, (float) threshold, HostKernels.floats(current), affine == null ? null : tiled(affine),
                HostKernels.floats(spikes), charges == null ? null : HostKernels.floats(charges),
                inputs == null ? null : HostKernels.floats(inputs), (int) spikes.size(0), neurons);
    }

    /**
     * The affine map's scale and shift repeated over {@code chunk + C - 1} entries, so that a chunk
     * starting at channel {@code p} reads its coefficients at {@code p + i} in one flat, vectorizable
     * loop (a chunk of M neurons per step starts at channel {@code start mod C}, as M is a multiple of C).
     */
    private Tiled tiled(ChannelAffine affine) {
        int channels = affine.channels();
        int length = chunk + channels - 1;
        if (tiledScale == null || tiledScale.length != length) {
            tiledScale = new float[length];
            tiledShift = new float[length];
        }
        for (int i = 0; i < length; i++) {
            tiledScale[i] = affine.scale()[i % channels];
            tiledShift[i] = affine.shift()[i % channels];
        }
        return new Tiled(tiledScale, tiledShift, channels);
    }

    /** An affine map's coefficients tiled for the chunks ({@link #tiled}). */
    private record Tiled(float[] scale, float[] shift, int channels) {
        /** {@code x * scale[c] + shift[c]} over a chunk starting at neuron {@code start}, in place. */
        void apply(float[] values, int start, int length) {
            int phase = start % channels;
            if (phase == 0) {
                // the usual case (chunks are whole positions): indexed from 0, C2 vectorizes the
                // loop, where an offset index runs it about 3x slower (tools/kernel-bench/OffsetIndex.java)
                for (int i = 0; i < length; i++) {
                    values[i] = values[i] * scale[i] + shift[i];
                }
                return;
            }
            for (int i = 0; i < length; i++) {
                values[i] = values[i] * scale[phase + i] + shift[phase + i];
            }
        }
    }

    /**
     * Back-propagation through time for a training {@link #forward}: replaces the charges H by dL/dX
     * and returns the parameter gradients.
     *
     * @param charge the charge step of the forward
     * @param chargeGradients how many parameter elements the charge has ({@link ChunkCharge#parameterGradient})
     * @param threshold theta of the forward
     * @param gradSpikes dL/dS, {@code [T, M]}, dense FLOAT
     * @param charges H of the forward, {@code [T, M]}; overwritten with dL/dX
     * @param inputs X of the forward, {@code [T, M]}; only read, and only needed, when {@code chargeGradients > 0}
     * @return the gradients of the charge's parameter elements, then, for a trainable threshold, the
     *     threshold's: {@code chargeGradients} (+ 1) sums
     */
    public double[] backward(ChunkCharge charge, int chargeGradients, double threshold, INDArray gradSpikes,
                             INDArray charges, INDArray inputs) {
        if (chargeGradients < 0 || (chargeGradients > 0 && inputs == null)) {
            throw new IllegalArgumentException("a charge with " + chargeGradients + " parameter elements needs"
                    + " the inputs of the forward");
        }
        return backward(charge, chargeGradients, (float) threshold, HostKernels.floats(gradSpikes),
                HostKernels.floats(charges), chargeGradients > 0 ? HostKernels.floats(inputs) : null,
                (int) charges.size(0), (int) charges.size(1));
    }

    /**
     * One inference time-step from the state the previous one left: what {@link #forward} computes
     * at step t, with the state between steps kept in {@code potential} and {@code adapted} instead
     * of the chunk's heap arrays, in the same float operations, so that stepping T times gives
     * forward's spikes bit for bit.
     *
     * @param charge the charge step
     * @param threshold theta
     * @param first whether this is step 0, which starts from the initial state (the state arrays are
     *     then only written)
     * @param current X of this step, {@code [M]} (any shape of M elements), dense FLOAT
     * @param spikes S, M elements, written
     * @param potential V after this step's reset, M elements, dense FLOAT: read, then written
     * @param adapted the adaptation a, M elements, dense FLOAT, read and written for an adaptive
     *     threshold; ignored (may be null) otherwise
     */
    public void step(ChunkCharge charge, double threshold, boolean first, INDArray current, INDArray spikes,
                     INDArray potential, INDArray adapted) {
        step(charge, (float) threshold, first, HostKernels.floats(current), HostKernels.floats(spikes),
                HostKernels.floats(potential), adaptive ? HostKernels.floats(adapted) : null,
                Math.toIntExact(current.length()));
    }

    private void step(ChunkCharge step, float threshold, boolean first, FloatBuffer current, FloatBuffer spikes,
                      FloatBuffer potentials, FloatBuffer adaptations, int neurons) {
        float cutoff = cutoff(threshold);
        boolean carries = step.usesPotential();
        HostKernels.forRanges(neurons, chunk, parts(), (from, to) -> {
            Scratch scratch = Scratch.ofThread(chunk);
            float[] charge = scratch.array(0);
            float[] spike = scratch.array(1);
            float[] potential = scratch.array(2);
            float[] adapted = scratch.array(3);
            for (int start = from; start < to; start += chunk) {
                int length = Math.min(chunk, to - start);
                current.get(start, charge, 0, length);
                if (carries && !first) {
                    potentials.get(start, potential, 0, length);
                }
                if (adaptive) {
                    if (first) {
                        Arrays.fill(adapted, 0, length, 0f);
                    } else {
                        adaptations.get(start, adapted, 0, length);
                    }
                }
                // the state must carry to the next call: always reset
                chargeAndFire(step, first, carries, true, charge, spike, potential, adapted, threshold, cutoff, length);
                if (adaptive) {
                    adaptations.put(start, adapted, 0, length);
                }
                if (carries) {
                    potentials.put(start, potential, 0, length);
                }
                spikes.put(start, spike, 0, length);
            }
        });
    }

    private void forward(ChunkCharge step, float threshold, FloatBuffer current, Tiled affine, FloatBuffer spikes,
                         FloatBuffer charges, FloatBuffer inputs, int timeSteps, int neurons) {
        float cutoff = cutoff(threshold);
        boolean carries = step.usesPotential();
        HostKernels.forRanges(neurons, chunk, parts(), (from, to) -> {
            Scratch scratch = Scratch.ofThread(chunk);
            float[] charge = scratch.array(0);
            float[] spike = scratch.array(1);
            float[] potential = scratch.array(2);
            float[] adapted = scratch.array(3);
            for (int start = from; start < to; start += chunk) {
                int length = Math.min(chunk, to - start);
                Arrays.fill(adapted, 0, length, 0f);
                for (int t = 0; t < timeSteps; t++) {
                    int offset = t * neurons + start;
                    current.get(offset, charge, 0, length);
                    if (affine != null) {
                        affine.apply(charge, start, length);
                    }
                    if (inputs != null) {
                        inputs.put(offset, charge, 0, length);
                    }
                    chargeAndFire(step, t == 0, carries, t + 1 < timeSteps, charge, spike, potential, adapted,
                            threshold, cutoff, length);
                    spikes.put(offset, spike, 0, length);
                    if (charges != null) {
                        charges.put(offset, charge, 0, length);
                    }
                }
            }
        });
    }

    /**
     * One time-step of a chunk in place, shared by {@link #forward} and {@link #step} so that both
     * run the same float operations: H from X (and V unless {@code first}) into {@code charge},
     * then S, and V after the reset where {@code resetAfter} (or, for an adaptive threshold, V and
     * the adaptation a, always).
     */
    private void chargeAndFire(ChunkCharge step, boolean first, boolean carries, boolean resetAfter, float[] charge,
                               float[] spike, float[] potential, float[] adapted, float threshold, float cutoff,
                               int length) {
        if (first || !carries) {
            step.chargeFirst(charge, charge, length);
        } else {
            step.charge(charge, potential, charge, length);
        }
        if (adaptive) {
            fireAdapting(charge, spike, potential, adapted, threshold, length);
            return;
        }
        for (int i = 0; i < length; i++) {
            spike[i] = HostKernels.step(charge[i] - cutoff);
        }
        if (resetAfter && carries) {
            reset(charge, spike, potential, threshold, length);
        }
    }

    private int parts() {
        return maxParts > 0 ? maxParts : HostKernels.threads();
    }

    /** The potential after the reset, {@code potential} written from H and S for a fixed threshold. */
    private void reset(float[] charge, float[] spike, float[] potential, float threshold, int length) {
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

    /** Fires against {@code theta + beta a}, resets, and advances the adaptation {@code a}. */
    private void fireAdapting(float[] charge, float[] spike, float[] potential, float[] adapted, float threshold,
                              int length) {
        float keep = adaptationDecay;
        float rise = 1f - adaptationDecay;
        for (int i = 0; i < length; i++) {
            float h = charge[i];
            float theta = threshold + adaptation * adapted[i];
            float s = fire(h, theta);
            spike[i] = s;
            potential[i] = hard ? h - h * s + resetPotential * s : h - theta * s;
            adapted[i] = keep * adapted[i] + rise * s;
        }
    }

    /** {@code H >= theta} (or {@code >}) as 1 or 0, NaN for a NaN H, without a branch. */
    private float fire(float charge, float theta) {
        return fireAtThreshold ? 1f - HostKernels.step(theta - charge) : HostKernels.step(charge - theta);
    }

    /**
     * The cutoff c of the strict step {@code S = H > c}: the threshold, or for firing at it, the
     * largest float below it, since {@code H >= theta} is then {@code H > c}.
     */
    private float cutoff(float threshold) {
        return fireAtThreshold ? Math.nextDown(threshold) : threshold;
    }

    private double[] backward(ChunkCharge step, int chargeGradients, float threshold, FloatBuffer gradSpikes,
                              FloatBuffer charges, FloatBuffer inputs, int timeSteps, int neurons) {
        int width = chargeGradients + (thresholdGradient ? 1 : 0);
        int chunks = (neurons + chunk - 1) / chunk;
        double[] partials = new double[chunks * width];
        HostKernels.forRanges(neurons, chunk, parts(), (from, to) -> {
            Scratch scratch = Scratch.ofThread(chunk);
            for (int start = from; start < to; start += chunk) {
                int length = Math.min(chunk, to - start);
                ChunkBackward pass = new ChunkBackward(step, threshold, gradSpikes, charges, inputs, timeSteps, neurons,
                        start, length, scratch, width);
                double[] sums = pass.run(chargeGradients);
                System.arraycopy(sums, 0, partials, start / chunk * width, width);
            }
        });
        double[] total = new double[width];
        for (int c = 0; c < chunks; c++) {
            for (int j = 0; j < width; j++) {
                total[j] += partials[c * width + j];
            }
        }
        return total;
    }

    /** The backward pass over one chunk, all steps. */
    private final class ChunkBackward {
        private final ChunkCharge step;
        private final float threshold;
        private final float cutoff;
        private final FloatBuffer gradSpikes;
        private final FloatBuffer charges;
        private final FloatBuffer inputs;
        private final int timeSteps;
        private final int neurons;
        private final int start;
        private final int length;
        private final Scratch scratch;
        private final double[] sums;
        /** a[t] of every step, {@code [T, chunk]}: recomputed for an adaptive threshold, else null. */
        private final float[] history;

        ChunkBackward(ChunkCharge step, float threshold, FloatBuffer gradSpikes, FloatBuffer charges,
                      FloatBuffer inputs, int timeSteps, int neurons, int start, int length, Scratch scratch,
                      int width) {
            this.step = step;
            this.threshold = threshold;
            this.cutoff = cutoff(threshold);
            this.gradSpikes = gradSpikes;
            this.charges = charges;
            this.inputs = inputs;
            this.timeSteps = timeSteps;
            this.neurons = neurons;
            this.start = start;
            this.length = length;
            this.scratch = scratch;
            this.sums = new double[width];
            this.history = adaptive ? adaptations() : null;
        }

        double[] run(int chargeGradients) {
            float[] charge = scratch.array(0);
            float[] grad = scratch.array(1);
            float[] later = scratch.array(2);
            boolean general = adaptive || thresholdGradient;
            if (general) {
                Arrays.fill(scratch.array(5), 0, length, 0f);
            }
            for (int t = timeSteps - 1; t >= 0; t--) {
                int offset = t * neurons + start;
                charges.get(offset, charge, 0, length);
                gradSpikes.get(offset, grad, 0, length);
                if (general) {
                    thresholdStep(t, charge, grad, later);
                } else {
                    fixedStep(t, charge, grad, later);
                }
                if (chargeGradients > 0) {
                    parameterStep(t, later);
                }
                step.inputGradient(later, charge, length);
                charges.put(offset, charge, 0, length);
            }
            return sums;
        }

        /**
         * {@code later}: dL/dH[t+1] in, dL/dH[t] out, for a fixed threshold without gradient. With the
         * reset's slope {@code dV/dH}, {@code dL/dH[t] = dL/dS dS/dH + dH[t+1]/dV (dV/dH dL/dH[t+1])}.
         */
        private void fixedStep(int t, float[] charge, float[] grad, float[] later) {
            float[] slope = scratch.array(3);
            for (int i = 0; i < length; i++) {
                slope[i] = charge[i] - threshold;
            }
            surrogate.derivative(slope, slope, length);
            if (step.usesPotential() && t + 1 < timeSteps) {
                resetGradient(charge, slope, later);
                step.potentialGradient(later, later, length);
                for (int i = 0; i < length; i++) {
                    later[i] = grad[i] * slope[i] + later[i];
                }
            } else {
                for (int i = 0; i < length; i++) {
                    later[i] = grad[i] * slope[i];
                }
            }
        }

        /** Replaces dL/dV[t] in {@code grad} by dL/dV[t] dV/dH[t], the gradient through the reset. */
        private void resetGradient(float[] charge, float[] slope, float[] grad) {
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

        /**
         * {@link #fixedStep} for a threshold that adapts or is trained: the spike's gradient also
         * flows into theta[t], through the fire step and the reset, and from there into the
         * adaptation a[t] (array 5: dL/da[t+1] in, dL/da[t] out) and the threshold's sum.
         */
        private void thresholdStep(int t, float[] charge, float[] grad, float[] later) {
            float[] slope = scratch.array(3);
            float[] theta = scratch.array(4);
            float[] laterAdaptation = scratch.array(5);
            thresholds(t, theta);
            for (int i = 0; i < length; i++) {
                slope[i] = charge[i] - theta[i];
            }
            surrogate.derivative(slope, slope, length);
            if (step.usesPotential() && t + 1 < timeSteps) {
                step.potentialGradient(later, later, length); // dL/dV[t]
            } else {
                Arrays.fill(later, 0, length, 0f);
            }
            float[] spike = scratch.array(7);
            float[] thresholdGrad = scratch.array(8);
            fireAll(charge, theta, spike);
            float rise = 1f - adaptationDecay;
            // one loop per reset, without a reduction, so that the JIT vectorizes them
            if (hard) {
                for (int i = 0; i < length; i++) {
                    float h = charge[i];
                    float sl = slope[i];
                    float s = spike[i];
                    float spikeGrad = grad[i] + rise * laterAdaptation[i];
                    float potentialSlope = detach ? 1f - s : 1f - s + (resetPotential - h) * sl;   // dV/dH
                    float thresholdSlope = detach ? 0f : (h - resetPotential) * sl;                // dV/dtheta
                    thresholdGrad[i] = -spikeGrad * sl + later[i] * thresholdSlope;
                    later[i] = spikeGrad * sl + later[i] * potentialSlope;
                }
            } else {
                for (int i = 0; i < length; i++) {
                    float th = theta[i];
                    float sl = slope[i];
                    float s = spike[i];
                    float spikeGrad = grad[i] + rise * laterAdaptation[i];
                    float potentialSlope = detach ? 1f : 1f - th * sl;
                    float thresholdSlope = detach ? -s : -s + th * sl;
                    thresholdGrad[i] = -spikeGrad * sl + later[i] * thresholdSlope;
                    later[i] = spikeGrad * sl + later[i] * potentialSlope;
                }
            }
            if (adaptive) {
                float keep = adaptationDecay;
                for (int i = 0; i < length; i++) {
                    laterAdaptation[i] = keep * laterAdaptation[i] + adaptation * thresholdGrad[i];
                }
            }
            if (thresholdGradient) {
                double sum = 0;
                for (int i = 0; i < length; i++) {
                    sum += thresholdGrad[i];
                }
                sums[sums.length - 1] += sum;
            }
        }

        /** The spikes of the step against theta[t], as the forward fired them. */
        private void fireAll(float[] charge, float[] theta, float[] spike) {
            if (fireAtThreshold) {
                for (int i = 0; i < length; i++) {
                    spike[i] = 1f - HostKernels.step(theta[i] - charge[i]);
                }
            } else {
                for (int i = 0; i < length; i++) {
                    spike[i] = HostKernels.step(charge[i] - theta[i]);
                }
            }
        }

        /** theta[t] of every element of the chunk. */
        private void thresholds(int t, float[] theta) {
            if (adaptive) {
                int row = t * length;
                for (int i = 0; i < length; i++) {
                    theta[i] = threshold + adaptation * history[row + i];
                }
            } else {
                Arrays.fill(theta, 0, length, threshold);
            }
        }

        /** Adds the charge's parameter gradients of step t, from X[t] and V[t-1] recomputed from H[t-1]. */
        private void parameterStep(int t, float[] gradCharged) {
            float[] input = scratch.array(6);
            inputs.get(t * neurons + start, input, 0, length);
            if (t == 0 || !step.usesPotential()) {
                step.parameterGradientFirst(input, gradCharged, length, sums);
                return;
            }
            float[] potential = scratch.array(7);
            float[] spike = scratch.array(8);
            charges.get((t - 1) * neurons + start, potential, 0, length);
            if (adaptive) {
                float[] theta = scratch.array(4);
                thresholds(t - 1, theta);
                for (int i = 0; i < length; i++) {
                    float h = potential[i];
                    float s = fire(h, theta[i]);
                    potential[i] = hard ? h - h * s + resetPotential * s : h - theta[i] * s;
                }
            } else {
                for (int i = 0; i < length; i++) {
                    spike[i] = HostKernels.step(potential[i] - cutoff);
                }
                reset(potential, spike, potential, threshold, length);
            }
            step.parameterGradient(input, potential, gradCharged, length, sums);
        }

        /** a[t] for every step, recomputed from the charges exactly as the forward computed it. */
        private float[] adaptations() {
            float[] values = scratch.history(timeSteps * length);
            float[] charge = scratch.array(0);
            float[] adapted = scratch.array(4);
            Arrays.fill(adapted, 0, length, 0f);
            float keep = adaptationDecay;
            float rise = 1f - adaptationDecay;
            for (int t = 0; t < timeSteps; t++) {
                charges.get(t * neurons + start, charge, 0, length);
                System.arraycopy(adapted, 0, values, t * length, length);
                for (int i = 0; i < length; i++) {
                    float s = fire(charge[i], threshold + adaptation * adapted[i]);
                    adapted[i] = keep * adapted[i] + rise * s;
                }
            }
            return values;
        }
    }

    /** A thread's chunk arrays, made once per thread and chunk size, and the adaptation history. */
    private static final class Scratch {
        private static final int ARRAYS = 9;
        private static final ThreadLocal<Scratch> OF_THREAD = new ThreadLocal<>();

        private final float[][] arrays;
        private float[] history = new float[0];

        private Scratch(int chunk) {
            arrays = new float[ARRAYS][chunk];
        }

        static Scratch ofThread(int chunk) {
            Scratch scratch = OF_THREAD.get();
            if (scratch == null || scratch.arrays[0].length != chunk) {
                scratch = new Scratch(chunk);
                OF_THREAD.set(scratch);
            }
            return scratch;
        }

        float[] array(int index) {
            return arrays[index];
        }

        float[] history(int size) {
            if (history.length < size) {
                history = new float[size];
            }
            return history;
        }
    }
}
