package io.spikeforge.plugins.thresholds;

import io.spikeforge.api.convert.ConversionError;
import io.spikeforge.api.convert.LayerCalibration;
import io.spikeforge.api.convert.ThresholdGranularity;
import java.util.OptionalDouble;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A calibration that forwards to another; tests override one method to make it inconsistent. */
class DelegatingCalibration implements LayerCalibration {
    private final LayerCalibration layer;

    DelegatingCalibration(LayerCalibration layer) {
        this.layer = layer;
    }

    @Override
    public String layerName() {
        return layer.layerName();
    }

    @Override
    public ThresholdGranularity granularity() {
        return layer.granularity();
    }

    @Override
    public int channels() {
        return layer.channels();
    }

    @Override
    public int timeSteps() {
        return layer.timeSteps();
    }

    @Override
    public double initialMembrane() {
        return layer.initialMembrane();
    }

    @Override
    public INDArray annActivations() {
        return layer.annActivations();
    }

    @Override
    public OptionalDouble activationThreshold() {
        return layer.activationThreshold();
    }

    @Override
    public ConversionError measure(INDArray thresholds) {
        return layer.measure(thresholds);
    }
}
