/**
 * The bundled threshold strategies for ANN-to-SNN conversion: {@code max}, {@code percentile},
 * {@code mse-search}, {@code ttrbr} and {@code activation}, one provider and one strategy class each,
 * with what they share: a chunked scan of the ANN activations ({@link
 * io.spikeforge.plugins.thresholds.ActivationScan}), exact percentiles by selection ({@link
 * io.spikeforge.plugins.thresholds.OrderStatistics}) and the rule for dead channels ({@link
 * io.spikeforge.plugins.thresholds.Thresholds}).
 */
package io.spikeforge.plugins.thresholds;
