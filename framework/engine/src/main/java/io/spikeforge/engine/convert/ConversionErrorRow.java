package io.spikeforge.engine.convert;

/**
 * The conversion error of one spiking site at one T, a row of {@code conversion-errors.csv}. Means
 * are over the site's neurons and the analysed images.
 *
 * @param timeSteps T
 * @param layer the site, such as {@code layer1.0.sn2}
 * @param quantizationError the mean of {@code (a_ann - q_T(a_ann))^2}, a_ann the pure ANN's activation
 * @param deviationError the mean of {@code (r - q_T(xbar))^2}: r the site's output over T steps
 *     (threshold times spike count over T), xbar the mean over T of its input current in the
 *     converted network
 * @param inputMean the mean over T of each neuron's input current, averaged over neurons and images
 * @param inputVariance each neuron's variance over the T steps of its input current (population
 *     variance, divided by T), averaged over neurons and images
 * @param meanThreshold the mean of the site's thresholds (one, or one per channel)
 * @param firingRate spikes per neuron and time-step over the first T steps (positive and negative
 *     spikes for a signed site)
 */
public record ConversionErrorRow(int timeSteps, String layer, double quantizationError, double deviationError,
                                 double inputMean, double inputVariance, double meanThreshold, double firingRate) {
}
