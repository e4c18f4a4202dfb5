package io.spikeforge.engine.energy;

import java.util.List;

/**
 * The operations and estimated energy of one network per image, layer by layer in forward order.
 *
 * @param layers every layer with weights
 * @param timeSteps the time-steps the counts cover (1 for an ANN)
 */
public record EnergyReport(List<LayerOperations> layers, int timeSteps) {
    /** Energy of a 32-bit float multiply-accumulate at 45 nm (3.7 pJ multiply + 0.9 pJ add; Horowitz 2014). */
    public static final double MULTIPLY_ACCUMULATE_PICOJOULES = 4.6;
    /** Energy of a 32-bit float accumulate at 45 nm (Horowitz 2014). */
    public static final double ACCUMULATE_PICOJOULES = 0.9;

    public EnergyReport {
        layers = List.copyOf(layers);
        if (timeSteps < 1) {
            throw new IllegalArgumentException("timeSteps must be positive, got " + timeSteps);
        }
    }

    /** Synaptic operations (accumulates) per image. */
    public double accumulates() {
        return layers.stream().mapToDouble(LayerOperations::accumulates).sum();
    }

    /** Multiply-accumulates per image. */
    public double multiplyAccumulates() {
        return layers.stream().mapToDouble(LayerOperations::multiplyAccumulates).sum();
    }

    /** Estimated energy per image in millijoules. */
    public double millijoules() {
        return layers.stream().mapToDouble(LayerOperations::picojoules).sum() * 1e-9;
    }
}
