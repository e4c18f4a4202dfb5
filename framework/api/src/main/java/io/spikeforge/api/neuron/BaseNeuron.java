package io.spikeforge.api.neuron;

import io.spikeforge.api.kernel.KernelPath;
import io.spikeforge.api.model.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.DoubleUnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A neuron written by its charge step, as SpikingJelly's {@code BaseNode}: the subclass supplies how
 * the membrane potential charges ({@link #charge}) and that step's derivative
 * ({@link #chargeBackward}); this class runs the steps over time, fires, resets and performs
 * back-propagation through time. For every element and step {@code t}, with {@code V[-1] = v_reset}
 * (0 for soft reset):
 * <pre>
 * charge: H[t] = f(V[t-1], X[t])                  (the subclass)
 * fire:   S[t] = H[t] - theta[t] &gt;= 0             (&gt; 0 unless fireAtThreshold)
 * reset:  V[t] = H[t] (1 - S[t]) + v_reset S[t]   (hard)
 *         V[t] = H[t] - theta[t] S[t]             (soft)
 * </pre>
 * The threshold is {@code theta[t] = theta} or, with an adaptation ({@link Firing#adaptation()}
 * {@code beta > 0}), the adaptive threshold of Bellec et al. (NeurIPS 2018, "Long short-term memory
 * and learning-to-learn in networks of spiking neurons", the ALIF neuron):
 * {@code theta[t] = theta + beta a[t]}, {@code a[t+1] = rho a[t] + (1 - rho) S[t]}, {@code a[0] = 0}:
 * each spike raises the threshold, which decays back with the factor {@code rho} per step. The
 * gradient flows through {@code a} as through the potential.
 * Backward uses {@code dS/dH = surrogate(H - theta)}; with {@code detachReset}, S inside the reset
 * is a constant for the gradient. The threshold theta is a constant or, with
 * {@link Firing#trainableThreshold()}, a trainable parameter {@code threshold} of shape {@code [1]}.
 *
 * <p>Two paths compute this, chosen once per data type at the first forward in it, as DL4J's layer
 * helpers: a subclass that also supplies its charge in chunk form ({@link #chunkCharge()}) runs FLOAT
 * currents on a host-memory backend in the fused {@link FloatChunkKernel} (float arithmetic, parallel
 * over chunks of neurons, vectorized loops; it keeps the charged potential of every step and, for a
 * charge with parameters, the input: one or two floats per element and step). Every other case,
 * DOUBLE currents (the gradient checks) and neurons without a chunk charge, takes the general path:
 * double precision on heap arrays, one pass over the layer per step and direction, FLOAT results
 * rounded once at the end. It is the reference the fused path is tested against. It keeps the input
 * and the charged potential of every step (two doubles per element and step); the potential after
 * each reset is recomputed from them in backward. On the fused path the neuron also takes a
 * {@link ChannelAffine} input ({@link #acceptsChannelAffine}): the kernel maps each chunk of the
 * current as it reads it, and keeps the mapped current where a charge with parameters needs it.
 *
 * <p>Parameters that a subclass owns are returned by {@link #chargeParameters()}; its
 * {@link #chargeBackward} (general path) or its chunk charge's
 * {@link ChunkCharge#parameterGradient} (fused path) gives their gradients. Not thread-safe; one
 * instance per layer.
 */
public abstract class BaseNeuron implements NeuronModel {
    /** The local name of the trainable threshold. */
    public static final String THRESHOLD = "threshold";

    private final Firing firing;
    private final SurrogateFunction surrogate;
    private final Parameter threshold;
    private List<Parameter> parameters;
    /** Replaces the spike step in gradient checks; null in normal use. */
    private DoubleUnaryOperator smoothSpike;

    /** The data type the path was last chosen for, and whether that is the fused kernel. */
    private DataType selectedType;
    private boolean fusedSelected;
    private FloatChunkKernel kernel;
    /** Fused path: spikes of the last forward, {@code [T, M]}; H of the last training forward, then dL/dX. */
    private INDArray fusedSpikes;
    private INDArray fusedCharges;
    /** Fused path: X of the last training forward, for a charge with parameters. */
    private INDArray fusedInputs;
    /** The chunk charge of the last fused training forward; null when it took the general path. */
    private ChunkCharge trainedCharge;

    /** The input X of the last training forward, {@code [T*M]}; null when there is none. */
    private double[] inputs;
    /** The charged potential H of the last training forward, {@code [T*M]}. */
    private double[] charges;
    private long[] trainedShape;
    private DataType trainedType;
    private int trainedSteps;
    private double trainedThreshold;

    /**
     * How these neurons fire and reset.
     *
     * @param threshold the firing threshold, or the initial value of a trainable one; positive
     * @param trainableThreshold whether the threshold is a trainable parameter
     * @param softReset reset by subtracting the threshold (SpikingJelly's {@code v_reset=None})
     *     rather than setting the potential to {@code resetPotential}
     * @param resetPotential the potential of a hard reset, and the initial potential; 0 for soft reset
     * @param detachReset whether the spike inside the reset is a constant for the gradient
     * @param fireAtThreshold whether {@code H = theta} fires (SpikingJelly's Heaviside does)
     * @param adaptation beta, the threshold's rise per unit of adaptation; 0 for a fixed threshold
     * @param adaptationDecay rho in [0, 1), the adaptation's decay per step
     */
    public record Firing(double threshold, boolean trainableThreshold, boolean softReset, double resetPotential,
                         boolean detachReset, boolean fireAtThreshold, double adaptation, double adaptationDecay) {
        /** @throws IllegalArgumentException for a threshold that is not positive, or a non-finite number */
        public Firing {
            if (!(threshold > 0) || Double.isInfinite(threshold)) {
                throw new IllegalArgumentException("threshold must be positive and finite, got " + threshold);
            }
            if (!Double.isFinite(resetPotential) || (softReset && resetPotential != 0)) {
                throw new IllegalArgumentException("resetPotential must be finite, and 0 for soft reset, got "
                        + resetPotential);
            }
            if (!(adaptation >= 0) || Double.isInfinite(adaptation) || !(adaptationDecay >= 0 && adaptationDecay < 1)) {
                throw new IllegalArgumentException("adaptation must be non-negative and finite, and adaptationDecay"
                        + " in [0, 1), got " + adaptation + " and " + adaptationDecay);
            }
        }

        /** A fixed (or trainable) threshold without adaptation. */
        public Firing(double threshold, boolean trainableThreshold, boolean softReset, double resetPotential,
                      boolean detachReset, boolean fireAtThreshold) {
            this(threshold, trainableThreshold, softReset, resetPotential, detachReset, fireAtThreshold, 0, 0);
        }

        boolean adaptive() {
            return adaptation > 0;
        }

        /** The potential before the first step: SpikingJelly starts from {@code v_reset} (0 for soft reset). */
        public double initialPotential() {
            return resetPotential;
        }
    }

    /**
     * @param firing how the neurons fire and reset
     * @param surrogate dS/dH for the backward pass
     * @param parameterType the data type of the trainable parameters (the model's)
     */
    protected BaseNeuron(Firing firing, SurrogateFunction surrogate, DataType parameterType) {
        this.firing = Objects.requireNonNull(firing, "firing");
        this.surrogate = Objects.requireNonNull(surrogate, "surrogate");
        Objects.requireNonNull(parameterType, "parameterType");
        this.threshold = firing.trainableThreshold() ? scalar(THRESHOLD, firing.threshold(), parameterType) : null;
    }

    /**
     * The charge step: writes {@code H = f(V, X)} of {@code length} elements.
     *
     * @param input X of this step
     * @param potential V of the previous step, after its reset
     * @param charged H, written
     */
    protected abstract void charge(double[] input, double[] potential, double[] charged, int length);

    /**
     * The derivative of {@link #charge}: writes {@code dL/dX = dL/dH dH/dX} and
     * {@code dL/dV = dL/dH dH/dV}, and adds {@code sum dL/dH dH/dp} to the gradient of every
     * parameter {@code p} of {@link #chargeParameters()}.
     *
     * @param input X of this step, as given to {@link #charge}
     * @param potential V of the previous step, as given to {@link #charge}
     * @param gradCharged dL/dH
     * @param gradInput dL/dX, written
     * @param gradPotential dL/dV of the previous step, written
     */
    protected abstract void chargeBackward(double[] input, double[] potential, double[] gradCharged,
                                           double[] gradInput, double[] gradPotential, int length);

    /** The trainable parameters of the charge step; none by default. */
    protected List<Parameter> chargeParameters() {
        return List.of();
    }

    /**
     * The charge step in chunk form at the parameters' current values, for the fused float path:
     * called at every forward on that path (a charge with parameters reads them there), and once
     * before to choose the path. It must compute what {@link #charge} and {@link #chargeBackward}
     * compute, in float. Null, the default, keeps the neuron on the general double path.
     */
    protected ChunkCharge chunkCharge() {
        return null;
    }

    /** A new trainable scalar {@code [1]} outside any workspace, for subclasses' parameters. */
    protected static Parameter scalar(String name, double value, DataType type) {
        try (var outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return new Parameter(name, Nd4j.valueArrayOf(new long[] {1}, value, type));
        }
    }

    /** Adds {@code amount} to the gradient of a scalar parameter. */
    protected static void addGradient(Parameter parameter, double amount) {
        parameter.gradient().putScalar(0, parameter.gradient().getDouble(0) + amount);
    }

    /**
     * Makes the spike {@code smooth(H - theta)} instead of the step, for finite-difference checks of
     * the backward pass, which then differentiates exactly the forward when {@code smooth' } is the
     * surrogate and the reset is not detached. Never for training.
     *
     * @return this neuron
     */
    public final BaseNeuron withSmoothSpike(DoubleUnaryOperator smooth) {
        this.smoothSpike = Objects.requireNonNull(smooth, "smooth");
        selectedType = null; // the smooth spike is the general path's
        return this;
    }

    @Override
    public final List<Parameter> parameters() {
        if (parameters == null) {
            List<Parameter> all = new ArrayList<>(chargeParameters());
            if (threshold != null) {
                all.add(threshold);
            }
            parameters = List.copyOf(all);
        }
        return parameters;
    }

    /** The threshold now: the constant, or the trainable parameter's value; for an adaptive one, its resting value. */
    @Override
    public final OptionalDouble threshold() {
        return OptionalDouble.of(currentThreshold());
    }

    private double currentThreshold() {
        if (threshold == null) {
            return firing.threshold();
        }
        double value = threshold.value().getDouble(0);
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalStateException("the trainable threshold is " + value + "; it must stay positive and"
                    + " finite (lower the learning rate or weight decay)");
        }
        return value;
    }

    @Override
    public final INDArray forward(INDArray current, int timeSteps, boolean training) {
        DataType type = requireCurrent(current, timeSteps);
        int perStep = Math.toIntExact(current.length() / timeSteps);
        double theta = currentThreshold();
        if (training) {
            clearTrained();
        }
        if (fused(type) && KernelPath.HOST_FLOAT.accepts(current)) {
            return fusedForward(current, null, timeSteps, perStep, theta, training);
        }
        double[] x = denseDoubles(current);
        double[] h = new double[x.length];
        double[] spikes = new double[x.length];
        double[] potential = new double[perStep];
        Arrays.fill(potential, firing.initialPotential());
        double[] stepInput = new double[perStep];
        double[] charged = new double[perStep];
        double[] adaptation = new double[perStep];
        double beta = firing.adaptation();
        double rho = firing.adaptationDecay();
        for (int t = 0; t < timeSteps; t++) {
            int offset = t * perStep;
            System.arraycopy(x, offset, stepInput, 0, perStep);
            charge(stepInput, potential, charged, perStep);
            for (int i = 0; i < perStep; i++) {
                double thetaHere = theta + beta * adaptation[i];
                double s = fire(charged[i] - thetaHere);
                spikes[offset + i] = s;
                potential[i] = reset(charged[i], s, thetaHere);
                adaptation[i] = rho * adaptation[i] + (1 - rho) * s;
            }
            System.arraycopy(charged, 0, h, offset, perStep);
        }
        if (training) {
            inputs = x;
            charges = h;
            trainedShape = current.shape().clone();
            trainedType = type;
            trainedSteps = timeSteps;
            trainedThreshold = theta;
        }
        return Nd4j.createFromArray(spikes).reshape('c', current.shape()).castTo(type);
    }

    /** On the fused float path: the kernel applies the map to each chunk it reads ({@link FloatChunkKernel}). */
    @Override
    public final boolean acceptsChannelAffine(DataType type) {
        return fused(type);
    }

    /**
     * The fused float path's forward with the affine map applied in the kernel; a charge with
     * parameters keeps the mapped current for its backward, as {@link #forward(INDArray, int, boolean)}
     * keeps the current.
     */
    @Override
    public final INDArray forward(INDArray current, ChannelAffine affine, int timeSteps, boolean training) {
        DataType type = requireCurrent(current, timeSteps);
        Objects.requireNonNull(affine, "affine");
        if (!fused(type)) {
            throw new UnsupportedOperationException(getClass().getName() + " takes a channel affine input on its"
                    + " fused float path only, not for " + type + " currents");
        }
        int perStep = Math.toIntExact(current.length() / timeSteps);
        if (perStep % affine.channels() != 0) {
            throw new IllegalArgumentException("a step of " + perStep + " elements is not whole positions of "
                    + affine.channels() + " channels");
        }
        double theta = currentThreshold();
        if (training) {
            clearTrained();
        }
        INDArray dense = KernelPath.HOST_FLOAT.accepts(current) ? current : current.dup('c');
        return fusedForward(dense, affine, timeSteps, perStep, theta, training);
    }

    /** Checks a current and T as both forwards take them; returns the current's type. */
    private static DataType requireCurrent(INDArray current, int timeSteps) {
        Objects.requireNonNull(current, "current");
        DataType type = requireSupportedType(current.dataType(), "current");
        if (timeSteps < 1) {
            throw new IllegalArgumentException("timeSteps must be at least 1, got " + timeSteps);
        }
        if (current.rank() == 0 || current.size(0) % timeSteps != 0) {
            throw new IllegalArgumentException("current must have shape [T*B, ...] with T = timeSteps = " + timeSteps
                    + ", got shape " + Arrays.toString(current.shape()));
        }
        return type;
    }

    @Override
    public final INDArray backward(INDArray gradSpikes) {
        Objects.requireNonNull(gradSpikes, "gradSpikes");
        if (charges == null && trainedCharge == null) {
            throw new IllegalStateException("backward needs a training-mode forward first; there was none since"
                    + " this neuron was created or cleared, or its backward already ran");
        }
        if (!Arrays.equals(gradSpikes.shape(), trainedShape)) {
            throw new IllegalArgumentException("gradSpikes must have the shape of the spikes of the last training"
                    + " forward, " + Arrays.toString(trainedShape) + ", got " + Arrays.toString(gradSpikes.shape()));
        }
        requireSupportedType(gradSpikes.dataType(), "gradSpikes");
        if (trainedCharge != null) {
            return fusedBackward(gradSpikes);
        }
        double[] g = denseDoubles(gradSpikes);
        int perStep = g.length / trainedSteps;
        double theta = trainedThreshold;
        boolean hard = !firing.softReset();
        boolean detach = firing.detachReset();
        double resetPotential = firing.resetPotential();
        double[] gradInput = new double[g.length];
        double[] laterPotential = new double[perStep]; // dL/dV[t], zero after the last step
        double[] gradCharged = new double[perStep];
        double[] stepInput = new double[perStep];
        double[] previous = new double[perStep];
        double[] stepGradInput = new double[perStep];
        double beta = firing.adaptation();
        double rho = firing.adaptationDecay();
        double[] adaptation = adaptations(theta, perStep);
        double[] laterAdaptation = new double[perStep]; // dL/da[t+1]
        double gradThreshold = 0;
        for (int t = trainedSteps - 1; t >= 0; t--) {
            int offset = t * perStep;
            for (int i = 0; i < perStep; i++) {
                double h = charges[offset + i];
                double thetaHere = theta + beta * adaptation[offset + i];
                double s = fire(h - thetaHere);
                double slope = surrogate.derivative(h - thetaHere);
                double later = laterPotential[i];
                // dL/dS through the output and, with adaptation, through a[t+1] = rho a[t] + (1 - rho) S[t]
                double gradSpike = g[offset + i] + (1 - rho) * laterAdaptation[i];
                double potentialSlope;   // dV/dH
                double thresholdSlope;   // dV/dtheta
                if (hard) {
                    potentialSlope = 1 - s + (detach ? 0 : (resetPotential - h) * slope);
                    thresholdSlope = detach ? 0 : (h - resetPotential) * slope;
                } else {
                    potentialSlope = 1 - (detach ? 0 : thetaHere * slope);
                    thresholdSlope = -s + (detach ? 0 : thetaHere * slope);
                }
                gradCharged[i] = gradSpike * slope + later * potentialSlope;
                double gradThresholdHere = -gradSpike * slope + later * thresholdSlope;
                gradThreshold += gradThresholdHere;
                laterAdaptation[i] = rho * laterAdaptation[i] + beta * gradThresholdHere;
            }
            if (t == 0) {
                Arrays.fill(previous, firing.initialPotential());
            } else {
                int before = offset - perStep;
                for (int i = 0; i < perStep; i++) {
                    double h = charges[before + i];
                    double thetaBefore = theta + beta * adaptation[before + i];
                    previous[i] = reset(h, fire(h - thetaBefore), thetaBefore);
                }
            }
            System.arraycopy(inputs, offset, stepInput, 0, perStep);
            chargeBackward(stepInput, previous, gradCharged, stepGradInput, laterPotential, perStep);
            System.arraycopy(stepGradInput, 0, gradInput, offset, perStep);
        }
        if (threshold != null) {
            addGradient(threshold, gradThreshold);
        }
        INDArray result = Nd4j.createFromArray(gradInput).reshape('c', trainedShape).castTo(trainedType);
        clearTrained();
        return result;
    }

    /**
     * Steps on the path {@link #forward} takes for the same currents: FLOAT currents of a neuron
     * with a chunk charge in the fused kernel's {@link FloatChunkKernel#step}, everything else in the
     * general path's double arithmetic; either way the spikes equal forward's bit for bit.
     */
    @Override
    public final Optional<NeuronSteps> startSteps() {
        return Optional.of(new Steps(currentThreshold()));
    }

    /** The state of one run of single steps: the potential and adaptation of every neuron. */
    private final class Steps extends SameShapeSteps {
        private double theta;
        /** Fused path: the chunk charge at the parameters' values when stepping started, and FLOAT state. */
        private ChunkCharge step;
        /** The spikes of {@link #step(INDArray)}; null until asked for (stepping into the caller's buffers needs none). */
        private INDArray spikes;
        private INDArray potential;
        private INDArray adapted;
        /** General path: the state in double. */
        private double[] potentials;
        private double[] adaptations;

        Steps(double theta) {
            this.theta = theta;
        }

        /** The fused kernel reads a chunk's currents before it writes their spikes, so spikes may be the current. */
        @Override
        protected INDArray advance(INDArray current, INDArray into, boolean first) {
            if (step == null) {
                INDArray fired = generalStep(current);
                return into == null ? fired : into.assign(fired);
            }
            INDArray dense = KernelPath.HOST_FLOAT.accepts(current) ? current : current.dup('c');
            boolean direct = into != null && KernelPath.HOST_FLOAT.accepts(into);
            INDArray target = direct ? into : ownSpikes();
            kernel().step(step, theta, first, dense, target, potential, adapted);
            return into == null || direct ? target : into.assign(target);
        }

        @Override
        public void close() {
            NeuronSteps.free(spikes, potential, adapted);
            spikes = null;
            potential = null;
            adapted = null;
        }

        /** The spike buffer of {@link #step(INDArray)}, allocated at its first use. */
        private INDArray ownSpikes() {
            if (spikes == null) {
                try (var outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                    spikes = Nd4j.createUninitialized(DataType.FLOAT, shape());
                }
            }
            return spikes;
        }

        /** The threshold and the chunk charge are taken again; the first step only writes the FLOAT state. */
        @Override
        public boolean restart() {
            theta = currentThreshold();
            startOver();
            return true;
        }

        /** The path for the first step's data type, and the state, kept from a run of the same shape and type. */
        @Override
        protected void start(INDArray current, boolean sameAsLastRun) {
            long neurons = current.length();
            if (fused(current.dataType())) {
                step = Objects.requireNonNull(chunkCharge(), "chunkCharge()");
                if (!sameAsLastRun || potential == null) {
                    close();
                    try (var outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                        potential = Nd4j.createUninitialized(DataType.FLOAT, neurons);
                        adapted = firing.adaptive() ? Nd4j.createUninitialized(DataType.FLOAT, neurons) : null;
                    }
                }
            } else {
                step = null;
                potentials = new double[Math.toIntExact(neurons)];
                Arrays.fill(potentials, firing.initialPotential());
                adaptations = new double[potentials.length];
            }
        }

        /** One step of the general path's loop in {@link #forward}. */
        private INDArray generalStep(INDArray current) {
            double[] x = denseDoubles(current);
            double[] charged = new double[x.length];
            double[] fired = new double[x.length];
            double beta = firing.adaptation();
            double rho = firing.adaptationDecay();
            charge(x, potentials, charged, x.length);
            for (int i = 0; i < x.length; i++) {
                double thetaHere = theta + beta * adaptations[i];
                double s = fire(charged[i] - thetaHere);
                fired[i] = s;
                potentials[i] = reset(charged[i], s, thetaHere);
                adaptations[i] = rho * adaptations[i] + (1 - rho) * s;
            }
            return Nd4j.createFromArray(fired).reshape('c', shape()).castTo(dataType());
        }
    }

    @Override
    public final void clear() {
        clearTrained();
        fusedSpikes = null;
        fusedCharges = null;
        fusedInputs = null;
    }

    /** Drops what the last training forward kept for backward (the fused path's buffers stay for reuse). */
    private void clearTrained() {
        inputs = null;
        charges = null;
        trainedShape = null;
        trainedCharge = null;
    }

    /**
     * Per element of the current, what a training forward keeps until backward: the charged
     * potential (which the fused path overwrites with the input gradient), and the input where the
     * general path or a charge with parameters needs it.
     */
    @Override
    public final double trainingBytesPerElement(DataType type) {
        if (fused(type)) {
            return Float.BYTES * (chargeGradientCount() > 0 ? 2 : 1);
        }
        return 2.0 * Double.BYTES + type.width();
    }

    /** Whether {@code type} currents take the fused kernel, chosen when the type differs from the last call's. */
    private boolean fused(DataType type) {
        if (type != selectedType) {
            fusedSelected = smoothSpike == null && KernelPath.select(type) == KernelPath.HOST_FLOAT
                    && chunkCharge() != null;
            selectedType = type;
        }
        return fusedSelected;
    }

    private int chargeGradientCount() {
        long count = 0;
        for (Parameter parameter : chargeParameters()) {
            count += parameter.value().length();
        }
        return Math.toIntExact(count);
    }

    private FloatChunkKernel kernel() {
        if (kernel == null) {
            kernel = new FloatChunkKernel(firing, surrogate);
        }
        return kernel;
    }

    /** @param affine the map the kernel applies to the current; null for none */
    private INDArray fusedForward(INDArray current, ChannelAffine affine, int timeSteps, int perStep, double theta,
                                  boolean training) {
        ChunkCharge step = Objects.requireNonNull(chunkCharge(), "chunkCharge()");
        INDArray input = current.reshape('c', timeSteps, perStep);
        fusedSpikes = reuse(fusedSpikes, timeSteps, perStep);
        boolean keepInputs = training && chargeGradientCount() > 0;
        if (training) {
            fusedCharges = reuse(fusedCharges, timeSteps, perStep);
            if (keepInputs) {
                fusedInputs = reuse(fusedInputs, timeSteps, perStep);
            }
        }
        // the kernel writes the (mapped) current into fusedInputs as it reads each chunk
        kernel().forward(step, theta, input, affine, fusedSpikes, training ? fusedCharges : null,
                keepInputs ? fusedInputs : null);
        if (training) {
            trainedCharge = step;
            trainedShape = current.shape().clone();
            trainedType = DataType.FLOAT;
            trainedSteps = timeSteps;
            trainedThreshold = theta;
        }
        return fusedSpikes.reshape('c', current.shape());
    }

    private INDArray fusedBackward(INDArray gradSpikes) {
        INDArray upstream = gradSpikes.castTo(DataType.FLOAT).reshape('c', fusedCharges.shape());
        if (!KernelPath.HOST_FLOAT.accepts(upstream)) {
            upstream = upstream.dup('c');
        }
        int count = chargeGradientCount();
        double[] sums = kernel().backward(trainedCharge, count, trainedThreshold, upstream, fusedCharges,
                count > 0 ? fusedInputs : null);
        int at = 0;
        for (Parameter parameter : chargeParameters()) {
            INDArray gradient = parameter.gradient();
            for (long j = 0; j < gradient.length(); j++) {
                gradient.putScalar(j, gradient.getDouble(j) + sums[at++]);
            }
        }
        if (threshold != null) {
            addGradient(threshold, sums[at]);
        }
        INDArray result = fusedCharges.reshape('c', trainedShape);
        clearTrained();
        return result;
    }

    /** {@code buffer} when it is a FLOAT array of the wanted shape, else a new uninitialized one. */
    private static INDArray reuse(INDArray buffer, long... shape) {
        if (buffer != null && Arrays.equals(buffer.shape(), shape)) {
            return buffer;
        }
        try (var outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Nd4j.createUninitialized(DataType.FLOAT, shape);
        }
    }

    /**
     * The adaptation {@code a[t]} of every step of the last training forward, {@code [T*M]}, recomputed
     * from its charges; all zero without adaptation.
     */
    private double[] adaptations(double theta, int perStep) {
        double[] adaptation = new double[charges.length];
        if (!firing.adaptive()) {
            return adaptation;
        }
        double beta = firing.adaptation();
        double rho = firing.adaptationDecay();
        for (int t = 1; t < trainedSteps; t++) {
            int offset = t * perStep;
            int before = offset - perStep;
            for (int i = 0; i < perStep; i++) {
                double a = adaptation[before + i];
                double s = fire(charges[before + i] - theta - beta * a);
                adaptation[offset + i] = rho * a + (1 - rho) * s;
            }
        }
        return adaptation;
    }

    private double fire(double u) {
        if (smoothSpike != null) {
            return smoothSpike.applyAsDouble(u);
        }
        return (firing.fireAtThreshold() ? u >= 0 : u > 0) ? 1 : 0;
    }

    private double reset(double charged, double spike, double theta) {
        return firing.softReset() ? charged - theta * spike
                : charged * (1 - spike) + firing.resetPotential() * spike;
    }

    private static double[] denseDoubles(INDArray array) {
        return array.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    private static DataType requireSupportedType(DataType type, String what) {
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException(what + " must be FLOAT or DOUBLE, got " + type);
        }
        return type;
    }
}
