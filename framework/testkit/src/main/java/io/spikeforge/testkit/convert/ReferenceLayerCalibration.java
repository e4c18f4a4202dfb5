package io.spikeforge.testkit.convert;

import io.spikeforge.api.convert.ConversionError;
import io.spikeforge.api.convert.LayerCalibration;
import io.spikeforge.api.convert.ThresholdGranularity;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalDouble;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A {@link LayerCalibration} for tests: the ANN activations of one layer and the input currents its
 * spiking neurons receive at each time-step are given, and {@link #measure} runs integrate-and-fire
 * neurons over them as plain loops in double precision. It is the reference implementation of the
 * conversion errors as docs/conversion.md defines them; the engine has its own, faster one.
 *
 * <p>Definitions, per element (one neuron on one calibration image), with threshold {@code theta} of
 * the element's layer or channel, {@code T} time-steps and initial membrane fraction {@code f}:
 * <ul>
 *   <li>{@code q_T(a) = theta/T * clip(floor(a*T/theta + f), 0, T)}, see {@link #quantized};
 *   <li>IF neuron: {@code v_0 = f*theta}; {@code v_t = v_{t-1} + x_t}; a spike when {@code v_t >= theta},
 *       then {@code v_t -= theta}; its output {@code r = theta/T * (spike count)};
 *   <li>quantization error: the mean over the elements of a threshold's layer or channel of
 *       {@code (a - q_T(a))^2}, {@code a} the ANN activation;
 *   <li>deviation error: the mean of {@code (r - q_T(xbar))^2}, {@code xbar} the mean input current
 *       over the {@code T} steps.
 * </ul>
 * A constant input current {@code x} in {@code [0, theta]} makes {@code r = q_T(x)}, so its deviation
 * error is zero; that is the default when no currents are given (the ANN activation as a constant
 * current).
 *
 * <p>Build with {@link #builder(String, INDArray)}. The arrays are kept, not copied, so that a test
 * can see whether a strategy modified them. Not thread-safe.
 */
public final class ReferenceLayerCalibration implements LayerCalibration {
    private final String layerName;
    private final ThresholdGranularity granularity;
    private final int timeSteps;
    private final double initialMembrane;
    private final INDArray annActivations;
    private final INDArray inputCurrents;
    private final OptionalDouble activationThreshold;
    private int measureCalls;

    private ReferenceLayerCalibration(Builder b) {
        this.layerName = b.layerName;
        this.granularity = b.granularity;
        this.timeSteps = b.timeSteps;
        this.initialMembrane = b.initialMembrane;
        this.annActivations = b.annActivations;
        this.activationThreshold = b.activationThreshold;
        this.inputCurrents = b.inputCurrents != null ? b.inputCurrents : constantCurrents(b.annActivations, b.timeSteps);
        long[] expected = currentShape(annActivations, timeSteps);
        if (!Arrays.equals(expected, inputCurrents.shape())) {
            throw new IllegalArgumentException(layerName + ": inputCurrents must have shape [T, N, C, ...] = "
                    + Arrays.toString(expected) + ", got " + Arrays.toString(inputCurrents.shape()));
        }
    }

    /**
     * A builder for a layer's calibration.
     *
     * @param layerName the layer's name, shown in strategies' errors
     * @param annActivations {@code [N, C]} or {@code [N, C, H, W]} (any rank of at least 2)
     */
    public static Builder builder(String layerName, INDArray annActivations) {
        return new Builder(layerName, annActivations);
    }

    /**
     * The constant-input quantization {@code q_T(a) = theta/T * clip(floor(a*T/theta + f), 0, T)}: what
     * an IF neuron with soft reset outputs over {@code T} steps on the constant current {@code a}.
     */
    public static double quantized(double activation, double threshold, int timeSteps, double initialMembrane) {
        double level = Math.floor(activation * timeSteps / threshold + initialMembrane);
        return threshold / timeSteps * Math.min(Math.max(level, 0), timeSteps);
    }

    /** The input currents, {@code [T, N, C, ...]}. */
    public INDArray inputCurrents() {
        return inputCurrents;
    }

    /** How often {@link #measure} was called. */
    public int measureCalls() {
        return measureCalls;
    }

    /**
     * The same layer with activations, input currents and activation threshold multiplied by
     * {@code factor}: a network whose weights into this layer are scaled. Its measured errors are
     * those of this layer times {@code factor^2} at thresholds times {@code factor}.
     */
    public ReferenceLayerCalibration scaled(double factor) {
        Builder b = toBuilder(annActivations.mul(factor)).optInputCurrents(inputCurrents.mul(factor));
        activationThreshold.ifPresent(t -> b.optActivationThreshold(t * factor));
        return b.build();
    }

    /** The same layer with its arrays cast to another data type (activation threshold and settings kept). */
    public ReferenceLayerCalibration castTo(DataType type) {
        return toBuilder(annActivations.castTo(type)).optInputCurrents(inputCurrents.castTo(type)).build();
    }

    private Builder toBuilder(INDArray activations) {
        Builder b = builder(layerName, activations).optGranularity(granularity).optTimeSteps(timeSteps)
                .optInitialMembrane(initialMembrane);
        activationThreshold.ifPresent(b::optActivationThreshold);
        return b;
    }

    @Override
    public String layerName() {
        return layerName;
    }

    @Override
    public ThresholdGranularity granularity() {
        return granularity;
    }

    @Override
    public int channels() {
        return (int) annActivations.size(1);
    }

    @Override
    public int timeSteps() {
        return timeSteps;
    }

    @Override
    public double initialMembrane() {
        return initialMembrane;
    }

    @Override
    public INDArray annActivations() {
        return annActivations;
    }

    @Override
    public OptionalDouble activationThreshold() {
        return activationThreshold;
    }

    @Override
    public ConversionError measure(INDArray thresholds) {
        measureCalls++;
        double[] theta = checkedThresholds(thresholds);
        double[] activations = flat(annActivations);
        double[] currents = flat(inputCurrents);
        int channels = channels();
        long perImage = activations.length / annActivations.size(0);
        long perChannel = perImage / channels;
        int count = thresholdCount();
        double[] quantization = new double[count];
        double[] deviation = new double[count];
        long[] elements = new long[count];
        int length = activations.length;
        for (int i = 0; i < length; i++) {
            int group = granularity == ThresholdGranularity.LAYER ? 0 : (int) (i % perImage / perChannel);
            double threshold = theta[group];
            double a = activations[i];
            double quantizationError = a - quantized(a, threshold, timeSteps, initialMembrane);
            double membrane = initialMembrane * threshold;
            double total = 0;
            int spikes = 0;
            for (int t = 0; t < timeSteps; t++) {
                double current = currents[t * length + i];
                total += current;
                membrane += current;
                if (membrane >= threshold) {
                    spikes++;
                    membrane -= threshold;
                }
            }
            double output = threshold / timeSteps * spikes;
            double deviationError = output - quantized(total / timeSteps, threshold, timeSteps, initialMembrane);
            quantization[group] += quantizationError * quantizationError;
            deviation[group] += deviationError * deviationError;
            elements[group]++;
        }
        for (int g = 0; g < count; g++) {
            quantization[g] /= elements[g];
            deviation[g] /= elements[g];
        }
        return new ConversionError(quantization, deviation);
    }

    private double[] checkedThresholds(INDArray thresholds) {
        Objects.requireNonNull(thresholds, "thresholds");
        if (thresholds.length() != thresholdCount() || thresholds.rank() > 1) {
            throw new IllegalArgumentException(layerName + ": measure needs " + thresholdCount() + " thresholds as ["
                    + thresholdCount() + "], got shape " + Arrays.toString(thresholds.shape()));
        }
        double[] theta = flat(thresholds);
        for (int i = 0; i < theta.length; i++) {
            if (!(theta[i] > 0) || Double.isInfinite(theta[i])) {
                throw new IllegalArgumentException(layerName + ": threshold " + i + " is " + theta[i]
                        + "; thresholds must be positive and finite");
            }
        }
        return theta;
    }

    private static double[] flat(INDArray array) {
        return array.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    private static long[] currentShape(INDArray activations, int timeSteps) {
        long[] shape = new long[activations.rank() + 1];
        shape[0] = timeSteps;
        System.arraycopy(activations.shape(), 0, shape, 1, activations.rank());
        return shape;
    }

    private static INDArray constantCurrents(INDArray activations, int timeSteps) {
        INDArray currents = Nd4j.create(activations.dataType(), currentShape(activations, timeSteps));
        for (int t = 0; t < timeSteps; t++) {
            currents.get(NDArrayIndex.point(t)).assign(activations);
        }
        return currents;
    }

    @Override
    public String toString() {
        return layerName + " (" + granularity + ", activations " + Arrays.toString(annActivations.shape()) + " "
                + annActivations.dataType() + ", T=" + timeSteps + ", f=" + initialMembrane
                + activationThreshold.stream().mapToObj(t -> ", activation threshold " + t).findFirst().orElse("") + ")";
    }

    /** Builder for {@link ReferenceLayerCalibration}; every setting has a default. */
    public static final class Builder {
        private final String layerName;
        private final INDArray annActivations;
        private ThresholdGranularity granularity = ThresholdGranularity.LAYER;
        private int timeSteps = 4;
        private double initialMembrane = 0.5;
        private INDArray inputCurrents;
        private OptionalDouble activationThreshold = OptionalDouble.empty();

        private Builder(String layerName, INDArray annActivations) {
            this.layerName = Objects.requireNonNull(layerName, "layerName");
            this.annActivations = Objects.requireNonNull(annActivations, "annActivations");
            if (annActivations.rank() < 2 || annActivations.size(0) == 0 || annActivations.size(1) == 0
                    || annActivations.length() == 0) {
                throw new IllegalArgumentException(layerName + ": annActivations must be [N, C, ...] with N, C > 0, got "
                        + Arrays.toString(annActivations.shape()));
            }
        }

        /** One threshold per layer (the default) or per channel. */
        public Builder optGranularity(ThresholdGranularity granularity) {
            this.granularity = Objects.requireNonNull(granularity, "granularity");
            return this;
        }

        /** The time-steps T (default 4). */
        public Builder optTimeSteps(int timeSteps) {
            if (timeSteps < 1) {
                throw new IllegalArgumentException("timeSteps must be at least 1, got " + timeSteps);
            }
            this.timeSteps = timeSteps;
            return this;
        }

        /** The initial membrane potential as a fraction of the threshold, in [0, 1] (default 0.5). */
        public Builder optInitialMembrane(double fraction) {
            if (!(fraction >= 0 && fraction <= 1)) {
                throw new IllegalArgumentException("initialMembrane must be in [0, 1], got " + fraction);
            }
            this.initialMembrane = fraction;
            return this;
        }

        /**
         * The input current of every neuron at every step, {@code [T, N, C, ...]}; by default the ANN
         * activations, constant over time (no deviation error).
         */
        public Builder optInputCurrents(INDArray currents) {
            this.inputCurrents = Objects.requireNonNull(currents, "currents");
            return this;
        }

        /** The threshold the ANN's activation defines (QCFS's lambda); none by default (ReLU). */
        public Builder optActivationThreshold(double threshold) {
            this.activationThreshold = OptionalDouble.of(threshold);
            return this;
        }

        public ReferenceLayerCalibration build() {
            return new ReferenceLayerCalibration(this);
        }
    }
}
