package io.spikeforge.api.convert;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Chooses the firing thresholds of the spiking layers of a network being converted, one layer at a time. */
public interface ThresholdStrategy {
    /**
     * @param layer what was measured for the layer
     * @return {@link LayerCalibration#thresholdCount()} positive, finite thresholds as a new
     *     {@code [thresholdCount]} double array
     * @throws IllegalArgumentException when the layer lacks what the strategy needs (for example no
     *     activation threshold), with a message saying what
     */
    INDArray thresholds(LayerCalibration layer);
}
