package io.spikeforge.api.convert;

import java.util.OptionalDouble;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a {@link ThresholdStrategy} may look at to choose the thresholds of one spiking layer of a
 * network being converted. Layers are calibrated in forward order: the layers before this one are
 * already spiking with their chosen thresholds, so {@link #measure} runs this layer on the spiking
 * input it will really get.
 *
 * <p>Arrays handed out are the engine's own and read-only for strategies. Not thread-safe.
 */
public interface LayerCalibration {
    /** The layer's name, such as {@code layer2.0.sn1}. */
    String layerName();

    /** One threshold for the layer, or one per channel. */
    ThresholdGranularity granularity();

    /** The channels of the layer's activations (dimension 1). */
    int channels();

    /** The number of thresholds to return: 1 per layer, or {@link #channels()}. */
    default int thresholdCount() {
        return granularity() == ThresholdGranularity.LAYER ? 1 : channels();
    }

    /** The number of time-steps the thresholds are chosen for. */
    int timeSteps();

    /** The neurons' membrane potential before the first step, as a fraction of the threshold (0.5 = threshold/2). */
    double initialMembrane();

    /**
     * The ANN's activations of this layer on the calibration images, {@code [N, C, H, W]} or
     * {@code [N, C]}: the pure ANN's output, non-negative for ReLU.
     */
    INDArray annActivations();

    /**
     * The threshold the ANN's activation defines (QCFS's trained lambda), if it defines one; see
     * {@link io.spikeforge.api.activation.AnnActivation#conversionThreshold()}.
     */
    OptionalDouble activationThreshold();

    /**
     * Measures the layer's conversion error with the given thresholds on the calibration images,
     * running its neurons over {@link #timeSteps()} steps on their actual input currents.
     *
     * @param thresholds {@link #thresholdCount()} positive values, {@code [thresholdCount]}
     * @return the errors, one entry per threshold
     * @throws IllegalArgumentException for another count or a threshold that is not positive and finite
     */
    ConversionError measure(INDArray thresholds);
}
