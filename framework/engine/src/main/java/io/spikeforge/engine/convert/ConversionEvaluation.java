package io.spikeforge.engine.convert;

import io.spikeforge.engine.energy.EnergyReport;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A converted network measured on a set of images in one pass up to the largest T, and its ANN on
 * the same images.
 *
 * @param images the number of images
 * @param annAccuracy the (BN-folded) ANN's top-1 accuracy in [0, 1]
 * @param accuracy top-1 accuracy of the spiking network at each evaluated T, from the mean of its
 *     logits over the first T steps
 * @param energy per image at each evaluated T: accumulates and multiply-accumulates of the first T
 *     steps ({@link SpikingConversion} defines the counts)
 * @param annEnergy the ANN's multiply-accumulates per image (T = 1)
 * @param firingRates per spiking site in forward order, the fraction of neurons and time-steps
 *     that spiked over all steps and images
 */
public record ConversionEvaluation(int images, double annAccuracy, SortedMap<Integer, Double> accuracy,
                                   SortedMap<Integer, EnergyReport> energy, EnergyReport annEnergy,
                                   Map<String, Double> firingRates) {
    public ConversionEvaluation {
        accuracy = Collections.unmodifiableSortedMap(new TreeMap<>(accuracy));
        energy = Collections.unmodifiableSortedMap(new TreeMap<>(energy));
        firingRates = Collections.unmodifiableMap(new LinkedHashMap<>(firingRates));
    }
}
