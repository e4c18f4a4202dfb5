package io.spikeforge.plugins.thresholds;

import io.spikeforge.api.convert.LayerCalibration;
import io.spikeforge.api.convert.ThresholdStrategy;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The largest ANN activation of the layer, or of each channel, on the calibration data (Rueckauer et
 * al. 2017's max norm; SpikingJelly's {@code mode="max"}). Dead channels get the shared rule of
 * {@link Thresholds}.
 */
public final class MaxThreshold implements ThresholdStrategy {
    @Override
    public INDArray thresholds(LayerCalibration layer) {
        double[] maxima = new ActivationScan(layer).maxima();
        return Thresholds.of(maxima, () -> maxima);
    }

    @Override
    public String toString() {
        return "max";
    }
}
