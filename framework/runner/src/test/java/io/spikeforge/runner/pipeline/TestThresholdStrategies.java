package io.spikeforge.runner.pipeline;

import io.spikeforge.api.component.ParameterSchema;
import io.spikeforge.api.component.ParameterSpec;
import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.api.convert.LayerCalibration;
import io.spikeforge.api.convert.ThresholdGranularity;
import io.spikeforge.api.convert.ThresholdStrategy;
import io.spikeforge.api.convert.ThresholdStrategyProvider;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Threshold strategies for the runner's tests, standing in for the bundled plugins: {@code max} and
 * {@code percentile} (parameter {@code p}, 99.9 by default) of the ANN's activations of each layer
 * or channel, computed plainly in double. Each counts the layers it was asked for.
 */
public final class TestThresholdStrategies {
    /** Layers the strategies of this class chose thresholds for, since the last {@link #resetCount()}. */
    private static final AtomicInteger LAYERS = new AtomicInteger();

    private TestThresholdStrategies() {
    }

    /** {@code max}: the largest activation. */
    public static ThresholdStrategyProvider max() {
        return new Provider("max", ParameterSchema.of(), parameters -> 100.0);
    }

    /** {@code percentile}: the {@code p}-th percentile of the activations. */
    public static ThresholdStrategyProvider percentile() {
        return new Provider("percentile", ParameterSchema.of(
                ParameterSpec.number("p").optDefault(99.9).optRange(0, 100).build()),
                parameters -> parameters.getDouble("p"));
    }

    /** Layers calibrated by these strategies since the last reset. */
    public static int layersCalibrated() {
        return LAYERS.get();
    }

    public static void resetCount() {
        LAYERS.set(0);
    }

    private interface Percent {
        double of(ResolvedParameters parameters);
    }

    private record Provider(String id, ParameterSchema parameters, Percent percent)
            implements ThresholdStrategyProvider {
        @Override
        public String description() {
            return "test threshold strategy " + id;
        }

        @Override
        public ThresholdStrategy create(ResolvedParameters resolved) {
            double p = percent.of(resolved);
            return layer -> {
                LAYERS.incrementAndGet();
                return thresholds(layer, p);
            };
        }
    }

    private static INDArray thresholds(LayerCalibration layer, double p) {
        INDArray activations = layer.annActivations().castTo(DataType.DOUBLE);
        int count = layer.thresholdCount();
        double[] thresholds = new double[count];
        long perChannel = activations.length() / activations.size(0) / layer.channels();
        for (int t = 0; t < count; t++) {
            double[] values;
            if (layer.granularity() == ThresholdGranularity.LAYER) {
                values = activations.ravel().toDoubleVector();
            } else {
                INDArray channel = activations.reshape(activations.size(0), layer.channels(), perChannel)
                        .get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                                org.nd4j.linalg.indexing.NDArrayIndex.point(t),
                                org.nd4j.linalg.indexing.NDArrayIndex.all());
                values = channel.dup().ravel().toDoubleVector();
            }
            Arrays.sort(values);
            int index = (int) Math.min(values.length - 1, Math.max(0, Math.ceil(p / 100 * values.length) - 1));
            // a layer that never fires in calibration still needs a positive threshold
            thresholds[t] = Math.max(values[index], 1e-3);
        }
        return Nd4j.createFromArray(thresholds);
    }
}
