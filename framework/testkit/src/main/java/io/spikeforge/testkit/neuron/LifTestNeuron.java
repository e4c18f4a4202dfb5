package io.spikeforge.testkit.neuron;

import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.api.neuron.NeuronSteps;
import io.spikeforge.api.neuron.SurrogateFunction;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.iter.NdIndexIterator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A leaky integrate-and-fire neuron for tests, written for clarity, not speed: one scalar loop per
 * element, in double precision whatever the input's type (results are rounded to it once). Tests of
 * a framework that runs neurons (models, training, checkpoints) use it instead of a plugin's
 * neuron, and plugin authors can compare their own neuron with it.
 *
 * <p>Per element and time-step {@code t}, with {@code V[-1]} the initial potential:
 * <pre>
 * charge: H[t] = decay * V[t-1] + (1 - decay) * v_reset + gain * X[t]   (gain = 1 - decay with decayInput, else 1)
 * fire:   S[t] = H[t] &gt; threshold                                      (H[t] &gt;= threshold with fireAtThreshold)
 * reset:  V[t] = S[t] ? v_reset : H[t]  (hard)       V[t] = H[t] - threshold * S[t]  (soft)
 * </pre>
 * Back-propagation through time, latest step first, with {@code sg = surrogate(H[t] - threshold)}:
 * <pre>
 * dL/dH[t] = dL/dS[t] * sg + dL/dH[t+1] * decay * dV[t]/dH[t]
 * dV/dH    = 1 - S[t] + (v_reset - H[t]) * sg   (hard)      1 - threshold * sg   (soft)
 * dL/dX[t] = gain * dL/dH[t]
 * </pre>
 * where a detached reset ({@code detachReset}, the default) drops the terms with {@code sg} from
 * {@code dV/dH}.
 *
 * <p>The defaults are the IDSNN reference neuron (the bundled {@code lif} plugin's defaults): decay
 * 0.25, no input decay, threshold 0.5, hard reset to 0, detached reset, firing only above the
 * threshold, starting from the reset potential, with a {@link RectangularTestSurrogate} of width 1.
 * SpikingJelly's {@code LIFNode} is {@code optTau(2).optDecayInput(true).optThreshold(1)
 * .optDetachReset(false).optFireAtThreshold(true)}; an integrate-and-fire neuron for conversion is
 * {@code optDecay(1).optThreshold(1).optSoftReset().optFireAtThreshold(true)}.
 *
 * <p>Like a production neuron, it reuses its output arrays while the data type and size repeat
 * (returned arrays are valid until the next call), so a model that creates no ND4J array in a
 * repeated step still creates none with these neurons.
 *
 * <p>It also steps through time one step at a time ({@link #startSteps()}), with the same loop body
 * and the potential of every element as its state.
 */
public final class LifTestNeuron implements NeuronModel {
    private final Settings settings;
    private final SurrogateFunction surrogate;

    private INDArray spikeBuffer;
    private INDArray gradientBuffer;
    /** H and S of every element and step of the last training forward; null when there is none. */
    private double[] charges;
    private double[] spikes;
    private long[] trainedShape;
    private int trainedSteps;

    private LifTestNeuron(Settings settings, SurrogateFunction surrogate) {
        this.settings = settings;
        this.surrogate = surrogate;
    }

    /** A builder with the IDSNN defaults. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public INDArray forward(INDArray current, int timeSteps, boolean training) {
        Objects.requireNonNull(current, "current");
        DataType type = requireFloatOrDouble(current.dataType());
        if (timeSteps < 1) {
            throw new IllegalArgumentException("timeSteps must be at least 1, got " + timeSteps);
        }
        if (current.rank() == 0 || current.size(0) % timeSteps != 0) {
            throw new IllegalArgumentException("current must have shape [T*B, ...] with T = " + timeSteps + ", got "
                    + Arrays.toString(current.shape()));
        }
        double[] x = valuesInCOrder(current);
        int perStep = x.length / timeSteps;
        double[] h = new double[x.length];
        double[] s = new double[x.length];
        for (int element = 0; element < perStep; element++) {
            double v = settings.initialPotential;
            for (int t = 0; t < timeSteps; t++) {
                int i = t * perStep + element;
                h[i] = settings.decay * v + (1 - settings.decay) * settings.resetPotential + settings.gain() * x[i];
                s[i] = fires(h[i]) ? 1 : 0;
                v = afterReset(h[i], s[i]);
            }
        }
        if (training) {
            charges = h;
            spikes = s;
            trainedShape = current.shape().clone();
            trainedSteps = timeSteps;
        } else {
            clear();
        }
        spikeBuffer = write(s, spikeBuffer, type);
        return spikeBuffer.reshape('c', current.shape());
    }

    @Override
    public Optional<NeuronSteps> startSteps() {
        return Optional.of(new NeuronSteps() {
            private double[] potential;
            private long[] shape;
            private DataType type;
            private INDArray buffer;
            private int taken;

            @Override
            public INDArray step(INDArray current) {
                Objects.requireNonNull(current, "current");
                DataType currentType = requireFloatOrDouble(current.dataType());
                if (taken == 0) {
                    shape = current.shape().clone();
                    type = currentType;
                    potential = new double[Math.toIntExact(current.length())];
                    Arrays.fill(potential, settings.initialPotential);
                } else if (!Arrays.equals(shape, current.shape()) || currentType != type) {
                    throw new IllegalArgumentException("every step must have the first step's shape and type "
                            + Arrays.toString(shape) + " " + type + ", got " + Arrays.toString(current.shape()));
                }
                double[] x = valuesInCOrder(current);
                double[] s = new double[x.length];
                for (int i = 0; i < x.length; i++) {
                    double h = settings.decay * potential[i] + (1 - settings.decay) * settings.resetPotential
                            + settings.gain() * x[i];
                    s[i] = fires(h) ? 1 : 0;
                    potential[i] = afterReset(h, s[i]);
                }
                taken++;
                buffer = write(s, buffer, type);
                return buffer.reshape('c', shape);
            }

            @Override
            public int stepsTaken() {
                return taken;
            }
        });
    }

    @Override
    public INDArray backward(INDArray gradSpikes) {
        Objects.requireNonNull(gradSpikes, "gradSpikes");
        if (charges == null) {
            throw new IllegalStateException("backward needs a training-mode forward first (none since creation,"
                    + " an inference forward or clear())");
        }
        if (!Arrays.equals(gradSpikes.shape(), trainedShape)) {
            throw new IllegalArgumentException("gradSpikes must have the spikes' shape " + Arrays.toString(trainedShape)
                    + ", got " + Arrays.toString(gradSpikes.shape()));
        }
        DataType type = requireFloatOrDouble(gradSpikes.dataType());
        double[] gradS = valuesInCOrder(gradSpikes);
        double[] gradX = new double[gradS.length];
        int perStep = gradS.length / trainedSteps;
        for (int element = 0; element < perStep; element++) {
            double gradNextCharge = 0;
            for (int t = trainedSteps - 1; t >= 0; t--) {
                int i = t * perStep + element;
                double slope = surrogate.derivative(charges[i] - settings.threshold);
                double gradCharge = gradS[i] * slope + gradNextCharge * settings.decay * potentialByCharge(i, slope);
                gradX[i] = settings.gain() * gradCharge;
                gradNextCharge = gradCharge;
            }
        }
        gradientBuffer = write(gradX, gradientBuffer, type);
        return gradientBuffer.reshape('c', trainedShape);
    }

    @Override
    public void clear() {
        charges = null;
        spikes = null;
        trainedShape = null;
    }

    @Override
    public OptionalDouble threshold() {
        return OptionalDouble.of(settings.threshold);
    }

    @Override
    public String toString() {
        return "lif-test-neuron" + settings + " with " + surrogate;
    }

    private boolean fires(double charge) {
        return settings.fireAtThreshold ? charge >= settings.threshold : charge > settings.threshold;
    }

    private double afterReset(double charge, double spike) {
        if (settings.hardReset) {
            return spike == 1 ? settings.resetPotential : charge;
        }
        return charge - settings.threshold * spike;
    }

    /** dV[t]/dH[t] of element-step {@code i} of the last training forward. */
    private double potentialByCharge(int i, double slope) {
        if (settings.hardReset) {
            return 1 - spikes[i] + (settings.detachReset ? 0 : (settings.resetPotential - charges[i]) * slope);
        }
        return 1 - (settings.detachReset ? 0 : settings.threshold * slope);
    }

    private static DataType requireFloatOrDouble(DataType type) {
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("expected FLOAT or DOUBLE, got " + type);
        }
        return type;
    }

    /** The values of any array (views included) in c order. */
    private static double[] valuesInCOrder(INDArray array) {
        double[] values = new double[Math.toIntExact(array.length())];
        NdIndexIterator indices = new NdIndexIterator('c', array.shape());
        for (int i = 0; i < values.length; i++) {
            values[i] = array.getDouble(indices.next());
        }
        return values;
    }

    /** {@code values} in {@code buffer} when it has the type and length, else in a new flat array. */
    private static INDArray write(double[] values, INDArray buffer, DataType type) {
        INDArray target = buffer != null && buffer.dataType() == type && buffer.length() == values.length
                ? buffer : Nd4j.createUninitialized(type, values.length);
        for (int i = 0; i < values.length; i++) {
            target.putScalar(i, values[i]);
        }
        return target;
    }

    /** The neuron's settings; see the class documentation for what each means. */
    private record Settings(double decay, boolean decayInput, double threshold, boolean hardReset,
                            double resetPotential, boolean detachReset, boolean fireAtThreshold,
                            double initialPotential) {
        double gain() {
            return decayInput ? 1 - decay : 1;
        }
    }

    /**
     * Settings of {@link LifTestNeuron}s, the IDSNN reference neuron unless changed; {@link #build()}
     * makes one layer's neurons and may be called any number of times.
     */
    public static final class Builder {
        private double decay = 0.25;
        private boolean decayInput;
        private double threshold = 0.5;
        private boolean hardReset = true;
        private double resetPotential;
        private boolean detachReset = true;
        private boolean fireAtThreshold;
        private Double initialPotential;
        private SurrogateFunction surrogate = new RectangularTestSurrogate(1.0);

        private Builder() {
        }

        /** Leak factor per step, in [0, 1]; 1 for no leak (default 0.25). */
        public Builder optDecay(double decay) {
            if (!(decay >= 0 && decay <= 1)) {
                throw new IllegalArgumentException("decay must be in [0, 1], got " + decay);
            }
            this.decay = decay;
            return this;
        }

        /** SpikingJelly's membrane time constant: {@code decay = 1 - 1/tau}, {@code tau >= 1}. */
        public Builder optTau(double tau) {
            if (!(tau >= 1) || Double.isInfinite(tau)) {
                throw new IllegalArgumentException("tau must be a finite number of at least 1, got " + tau);
            }
            return optDecay(1 - 1 / tau);
        }

        /** Scale the input by {@code 1 - decay}, as SpikingJelly's {@code decay_input=True} (default false). */
        public Builder optDecayInput(boolean decayInput) {
            this.decayInput = decayInput;
            return this;
        }

        /** The firing threshold (default 0.5). */
        public Builder optThreshold(double threshold) {
            this.threshold = requireFinite("threshold", threshold);
            return this;
        }

        /** Subtract the threshold after a spike instead of setting the potential to the reset potential. */
        public Builder optSoftReset() {
            this.hardReset = false;
            return this;
        }

        /** The potential a hard reset sets and a leaky neuron decays toward (default 0). */
        public Builder optResetPotential(double resetPotential) {
            this.resetPotential = requireFinite("resetPotential", resetPotential);
            return this;
        }

        /** Leave the reset out of the gradient (default true). */
        public Builder optDetachReset(boolean detachReset) {
            this.detachReset = detachReset;
            return this;
        }

        /** Fire when the potential equals the threshold, not only above it (default false). */
        public Builder optFireAtThreshold(boolean fireAtThreshold) {
            this.fireAtThreshold = fireAtThreshold;
            return this;
        }

        /** The membrane potential before the first step (default: the reset potential). */
        public Builder optInitialPotential(double initialPotential) {
            this.initialPotential = requireFinite("initialPotential", initialPotential);
            return this;
        }

        /** The surrogate of the backward pass (default a {@link RectangularTestSurrogate} of width 1). */
        public Builder optSurrogate(SurrogateFunction surrogate) {
            this.surrogate = Objects.requireNonNull(surrogate, "surrogate");
            return this;
        }

        /**
         * A new neuron with these settings.
         *
         * @throws IllegalArgumentException for a soft reset with a reset potential other than 0, or a
         *     hard reset whose potential is not below the threshold
         */
        public LifTestNeuron build() {
            if (!hardReset && resetPotential != 0) {
                throw new IllegalArgumentException("a soft reset needs reset potential 0, got " + resetPotential);
            }
            if (hardReset && resetPotential >= threshold) {
                throw new IllegalArgumentException("a hard reset needs a reset potential below the threshold "
                        + threshold + ", got " + resetPotential);
            }
            double start = initialPotential == null ? resetPotential : initialPotential;
            return new LifTestNeuron(new Settings(decay, decayInput, threshold, hardReset, resetPotential, detachReset,
                    fireAtThreshold, start), surrogate);
        }

        private static double requireFinite(String name, double value) {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException(name + " must be finite, got " + value);
            }
            return value;
        }
    }
}
