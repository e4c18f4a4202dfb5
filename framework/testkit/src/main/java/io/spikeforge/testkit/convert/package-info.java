/**
 * Contract tests for {@link io.spikeforge.api.convert.ThresholdStrategy} implementations: extend
 * {@link io.spikeforge.testkit.convert.ThresholdStrategyContract} and supply the strategy. {@link
 * io.spikeforge.testkit.convert.ReferenceLayerCalibration} is a {@link
 * io.spikeforge.api.convert.LayerCalibration} for tests: given ANN activations and the input currents
 * over time, it measures conversion errors with a plain double-precision integrate-and-fire loop.
 */
package io.spikeforge.testkit.convert;
