package io.spikeforge.testkit.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.spikeforge.api.convert.LayerCalibration;
import io.spikeforge.api.convert.ThresholdGranularity;
import io.spikeforge.api.convert.ThresholdStrategy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The checks every {@link ThresholdStrategy} must pass. Extend it in a test class and implement
 * {@link #createStrategy()}; the checks run the strategy on {@link ReferenceLayerCalibration}s built
 * from seeded random ReLU-like activations ({@code [N, C]} and {@code [N, C, H, W]}, per layer and per
 * channel, several time-step counts), whose input currents vary over time around the ANN's
 * pre-activations, so that both conversion errors are non-zero.
 *
 * <p>Checks: one threshold per layer or per channel, as a new {@code [count]} DOUBLE array; every
 * threshold positive and finite; the same thresholds from repeated calls and from a fresh strategy;
 * the calibration's arrays left unchanged; twice the activations, currents and activation threshold
 * give twice the thresholds (when {@link #isScaleEquivariant()}); a dead channel (all activations
 * zero) or a dead layer gives positive, finite thresholds rather than an exception; FLOAT activations
 * give the thresholds of the same values in DOUBLE within {@link #floatTolerance()}.
 *
 * <p>The check methods are public so that they can also be called directly.
 */
public abstract class ThresholdStrategyContract {
    /** The strategy under test. Called once or more per check; each call may return a new instance. */
    protected abstract ThresholdStrategy createStrategy();

    /**
     * Whether the strategy reads {@link LayerCalibration#activationThreshold()}: when true, every
     * calibration carries one (it scales with the activations); when false, none does, as for ReLU.
     */
    protected boolean needsActivationThreshold() {
        return false;
    }

    /**
     * Whether scaling a layer's activations, input currents and activation threshold by a positive
     * factor must scale the thresholds by the same factor. True of every rule expressed in the
     * activations' own units (maxima, percentiles, searches over fractions of them); override to
     * return false for a rule with a fixed scale.
     */
    protected boolean isScaleEquivariant() {
        return true;
    }

    /** Allowed relative difference between the thresholds of twice the layer and twice the thresholds. */
    protected double scaleTolerance() {
        return 1e-9;
    }

    /** Allowed relative difference between thresholds from FLOAT and from DOUBLE arrays of the same values. */
    protected double floatTolerance() {
        return 1e-5;
    }

    /** Seed of the random activations and currents. */
    protected long seed() {
        return 20220612L;
    }

    @Test
    public void returnsOneThresholdPerLayerOrChannel() {
        ThresholdStrategy strategy = createStrategy();
        for (ReferenceLayerCalibration layer : calibrations()) {
            thresholds(strategy, layer);
        }
    }

    @Test
    public void thresholdsArePositiveAndFinite() {
        ThresholdStrategy strategy = createStrategy();
        for (ReferenceLayerCalibration layer : calibrations()) {
            assertPositiveAndFinite(thresholds(strategy, layer), layer);
        }
    }

    @Test
    public void isDeterministic() {
        for (ReferenceLayerCalibration layer : calibrations()) {
            ThresholdStrategy strategy = createStrategy();
            double[] first = thresholds(strategy, layer);
            assertArrayEquals(first, thresholds(strategy, layer), 0.0, () -> layer + ": a second call gave other thresholds");
            assertArrayEquals(first, thresholds(createStrategy(), layer), 0.0,
                    () -> layer + ": a fresh strategy gave other thresholds");
        }
    }

    @Test
    public void doesNotModifyTheCalibration() {
        ThresholdStrategy strategy = createStrategy();
        for (ReferenceLayerCalibration layer : calibrations()) {
            double[] activations = values(layer.annActivations());
            double[] currents = values(layer.inputCurrents());
            thresholds(strategy, layer);
            assertArrayEquals(activations, values(layer.annActivations()), 0.0,
                    () -> layer + ": the strategy modified annActivations()");
            assertArrayEquals(currents, values(layer.inputCurrents()), 0.0,
                    () -> layer + ": the strategy modified the input currents");
        }
    }

    @Test
    public void scalesWithTheActivations() {
        Assumptions.assumeTrue(isScaleEquivariant(), "the strategy declares that it is not scale equivariant");
        ThresholdStrategy strategy = createStrategy();
        for (ReferenceLayerCalibration layer : calibrations()) {
            for (double factor : new double[] {2.0, 0.125, 3.0}) {
                double[] original = thresholds(strategy, layer);
                double[] scaled = thresholds(strategy, layer.scaled(factor));
                for (int i = 0; i < original.length; i++) {
                    double expected = factor * original[i];
                    if (Math.abs(scaled[i] - expected) > scaleTolerance() * expected) {
                        fail(layer + ": with activations and currents times " + factor + ", threshold " + i + " is "
                                + scaled[i] + ", expected " + factor + " * " + original[i] + " = " + expected);
                    }
                }
            }
        }
    }

    @Test
    public void survivesDeadChannelsAndLayers() {
        ThresholdStrategy strategy = createStrategy();
        Random random = new Random(seed() ^ 0xdeadL);
        for (ThresholdGranularity granularity : ThresholdGranularity.values()) {
            for (long[] shape : List.of(new long[] {8, 3, 3, 3}, new long[] {16, 4})) {
                double[] pre = gaussian(random, shape);
                double[] activations = relu(pre);
                long perImage = activations.length / shape[0];
                long perChannel = perImage / shape[1];
                for (int i = 0; i < pre.length; i++) {
                    if (i % perImage / perChannel == 1) {
                        pre[i] = -Math.abs(pre[i]) - 0.1;
                        activations[i] = 0;
                    }
                }
                ReferenceLayerCalibration deadChannel = calibration("dead.channel", granularity, shape, activations, pre, 4,
                        0.5, random);
                assertPositiveAndFinite(thresholds(strategy, deadChannel), deadChannel);
                double[] negative = Arrays.stream(pre).map(x -> -Math.abs(x) - 0.1).toArray();
                ReferenceLayerCalibration deadLayer = calibration("dead.layer", granularity, shape, new double[pre.length],
                        negative, 4, 0.5, random);
                assertPositiveAndFinite(thresholds(strategy, deadLayer), deadLayer);
            }
        }
    }

    @Test
    public void acceptsSinglePrecisionActivations() {
        ThresholdStrategy strategy = createStrategy();
        for (ReferenceLayerCalibration layer : calibrations()) {
            ReferenceLayerCalibration single = layer.castTo(DataType.FLOAT);
            ReferenceLayerCalibration exact = single.castTo(DataType.DOUBLE);
            double[] expected = thresholds(strategy, exact);
            double[] actual = thresholds(strategy, single);
            for (int i = 0; i < expected.length; i++) {
                if (Math.abs(actual[i] - expected[i]) > floatTolerance() * expected[i]) {
                    fail(single + ": threshold " + i + " is " + actual[i] + " from FLOAT arrays but " + expected[i]
                            + " from the same values in DOUBLE");
                }
            }
        }
    }

    /**
     * The calibrations the checks use: seeded random layers, per layer and per channel, of shapes
     * {@code [24, 3, 4, 4]} and {@code [40, 5]}, at T = 1, 4 and 16 with initial membrane fractions
     * 0.5 and 0.
     */
    protected List<ReferenceLayerCalibration> calibrations() {
        Random random = new Random(seed());
        List<ReferenceLayerCalibration> layers = new ArrayList<>();
        int[] timeSteps = {4, 16, 1};
        double[] initialMembranes = {0.5, 0.0, 0.5};
        int index = 0;
        for (ThresholdGranularity granularity : ThresholdGranularity.values()) {
            for (long[] shape : List.of(new long[] {24, 3, 4, 4}, new long[] {40, 5})) {
                int variant = index++ % timeSteps.length;
                double[] pre = gaussian(random, shape);
                layers.add(calibration("layer" + index + ".sn", granularity, shape, relu(pre), pre, timeSteps[variant],
                        initialMembranes[variant], random));
            }
        }
        return layers;
    }

    /**
     * A layer whose ANN pre-activation is {@code pre} and activation {@code activations}; the input
     * current at each step is the pre-activation plus Gaussian noise of standard deviation 0.5, drawn
     * anew at each step.
     */
    private ReferenceLayerCalibration calibration(String name, ThresholdGranularity granularity, long[] shape,
                                                  double[] activations, double[] pre, int timeSteps, double initialMembrane,
                                                  Random random) {
        long[] currentShape = new long[shape.length + 1];
        currentShape[0] = timeSteps;
        System.arraycopy(shape, 0, currentShape, 1, shape.length);
        double[] currents = new double[pre.length * timeSteps];
        for (int t = 0; t < timeSteps; t++) {
            for (int i = 0; i < pre.length; i++) {
                currents[t * pre.length + i] = pre[i] + 0.5 * random.nextGaussian();
            }
        }
        ReferenceLayerCalibration.Builder builder = ReferenceLayerCalibration
                .builder(name, Nd4j.create(activations, shape, DataType.DOUBLE))
                .optGranularity(granularity).optTimeSteps(timeSteps).optInitialMembrane(initialMembrane)
                .optInputCurrents(Nd4j.create(currents, currentShape, DataType.DOUBLE));
        if (needsActivationThreshold()) {
            builder.optActivationThreshold(1.5);
        }
        return builder.build();
    }

    /** Calls the strategy and checks the result's shape, type and count; returns its values. */
    private static double[] thresholds(ThresholdStrategy strategy, LayerCalibration layer) {
        INDArray result = strategy.thresholds(layer);
        assertNotNull(result, () -> layer + ": thresholds returned null");
        int count = layer.thresholdCount();
        if (result.rank() != 1 || result.length() != count) {
            fail(layer + ": expected " + count + " thresholds as [" + count + "], got shape "
                    + Arrays.toString(result.shape()));
        }
        assertEquals(DataType.DOUBLE, result.dataType(), () -> layer + ": thresholds must be a DOUBLE array");
        if (result == layer.annActivations() || result.data() == layer.annActivations().data()) {
            fail(layer + ": the thresholds share memory with annActivations(); return a new array");
        }
        return result.dup().data().asDouble();
    }

    private static double[] values(INDArray array) {
        return array.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    private static void assertPositiveAndFinite(double[] thresholds, LayerCalibration layer) {
        for (int i = 0; i < thresholds.length; i++) {
            if (!(thresholds[i] > 0) || Double.isInfinite(thresholds[i])) {
                fail(layer + ": threshold " + i + " is " + thresholds[i] + "; thresholds must be positive and finite");
            }
        }
    }

    private static double[] gaussian(Random random, long[] shape) {
        double[] values = new double[(int) Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian();
        }
        return values;
    }

    private static double[] relu(double[] pre) {
        return Arrays.stream(pre).map(x -> Math.max(x, 0)).toArray();
    }
}
