package io.spikeforge.plugins.thresholds;

import io.spikeforge.api.convert.LayerCalibration;
import io.spikeforge.api.convert.ThresholdStrategy;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The threshold the ANN's own activation defines, such as QCFS's trained lambda (Bu et al. 2022),
 * for every channel of the layer: an activation trained to clip and quantize like the spiking neurons
 * already knows where they should fire. Calibration data is not read.
 */
public final class ActivationThreshold implements ThresholdStrategy {
    @Override
    public INDArray thresholds(LayerCalibration layer) {
        double threshold = layer.activationThreshold().orElseThrow(() -> new IllegalArgumentException("layer "
                + layer.layerName() + ": its ANN activation defines no threshold (ReLU has none), so the 'activation'"
                + " threshold strategy cannot be used; use max, percentile, mse-search or ttrbr for ReLU networks"));
        if (!Thresholds.usable(threshold)) {
            throw new IllegalArgumentException("layer " + layer.layerName() + ": its ANN activation's threshold is "
                    + threshold + "; a firing threshold must be positive and finite");
        }
        double[] thresholds = new double[layer.thresholdCount()];
        Arrays.fill(thresholds, threshold);
        return Nd4j.createFromArray(thresholds);
    }

    @Override
    public String toString() {
        return "activation";
    }
}
