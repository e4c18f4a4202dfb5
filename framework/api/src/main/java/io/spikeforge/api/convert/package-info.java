/**
 * ANN-to-SNN conversion as an extension point: a {@link io.spikeforge.api.convert.ThresholdStrategy}
 * chooses the firing thresholds of each spiking layer of a converted network from what the engine
 * measured on calibration data ({@link io.spikeforge.api.convert.LayerCalibration}).
 *
 * <p>Conversion replaces each ANN activation by integrate-and-fire neurons with soft reset; a spike
 * carries the value of its threshold, so a layer's output over T steps approximates the ANN
 * activation clipped to {@code [0, threshold]} and quantized to T levels.
 */
package io.spikeforge.api.convert;
