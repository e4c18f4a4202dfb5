package io.spikeforge.engine.energy;

import java.util.Objects;

/**
 * The operations of one layer with weights (a convolution or a linear layer) per image, averaged
 * over the evaluated images.
 *
 * @param layer the layer's state-dict prefix, such as {@code layer1.0.conv2}
 * @param accumulates synaptic operations driven by spikes: each input spike times the layer's
 *     fan-out, summed over the time-steps (0 for a layer with real-valued input)
 * @param multiplyAccumulates multiply-accumulates of a layer with real-valued input (the encoding
 *     layer of a spiking network, every layer of an ANN), summed over the times the layer runs
 */
public record LayerOperations(String layer, double accumulates, double multiplyAccumulates) {
    public LayerOperations {
        Objects.requireNonNull(layer, "layer");
        if (!(accumulates >= 0) || !(multiplyAccumulates >= 0)) {
            throw new IllegalArgumentException(layer + ": operation counts must be non-negative, got " + accumulates
                    + " and " + multiplyAccumulates);
        }
    }

    /** The layer's energy per image in picojoules. */
    public double picojoules() {
        return EnergyReport.ACCUMULATE_PICOJOULES * accumulates
                + EnergyReport.MULTIPLY_ACCUMULATE_PICOJOULES * multiplyAccumulates;
    }
}
