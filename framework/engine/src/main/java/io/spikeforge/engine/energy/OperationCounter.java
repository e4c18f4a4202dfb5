package io.spikeforge.engine.energy;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Counts the operations of one layer with weights over the evaluation-mode forward passes of an
 * {@link EnergyMeter}'s measurement. The layer calls {@link #count} with its input; nothing is
 * counted while the meter is not measuring.
 *
 * <p>A layer with real-valued input does its multiply-accumulates (MACs) for every input row it
 * runs on. A layer driven by spikes does, per input row, {@code asum(row) * MACs / inputs} accumulates:
 * the MACs times the input's firing rate, which is also each input spike times the layer's mean
 * fan-out (its MACs divided by its inputs; see docs/engine.md, "Operations and energy").
 */
public final class OperationCounter {
    private final String layer;
    private final SignalKind input;
    private final EnergyMeter meter;
    private double accumulates;
    private double multiplyAccumulates;
    private double denseMultiplyAccumulates;

    OperationCounter(String layer, SignalKind input, EnergyMeter meter) {
        this.layer = Objects.requireNonNull(layer, "layer");
        this.input = Objects.requireNonNull(input, "input");
        this.meter = meter;
    }

    /**
     * Counts one forward pass, when the meter is measuring.
     *
     * @param input the layer's input, {@code [rows, ...]}: images, or time-steps times images
     * @param multiplyAccumulatesPerRow the layer's MACs for one input row
     */
    public void count(INDArray input, long multiplyAccumulatesPerRow) {
        if (!meter.measuring()) {
            return;
        }
        long rows = input.size(0);
        denseMultiplyAccumulates += (double) rows * multiplyAccumulatesPerRow;
        if (this.input.spikeDriven()) {
            // spikes and spike counts are non-negative, so BLAS's sum of absolute values counts them
            double spikes = Nd4j.getBlasWrapper().asum(input.reshape(input.length()));
            accumulates += spikes * multiplyAccumulatesPerRow / (input.length() / rows);
        } else {
            multiplyAccumulates += (double) rows * multiplyAccumulatesPerRow;
        }
    }

    /** The layer's state-dict prefix, such as {@code layer1.0.conv2}. */
    public String layer() {
        return layer;
    }

    /** What the layer's input carries. */
    public SignalKind input() {
        return input;
    }

    /**
     * The multiply-accumulates the layer did in the current or last measurement, whatever its input
     * carries: what it costs as dense arithmetic (what {@code torchinfo} counts), not the energy model.
     */
    public double denseMultiplyAccumulates() {
        return denseMultiplyAccumulates;
    }

    void reset() {
        accumulates = 0;
        multiplyAccumulates = 0;
        denseMultiplyAccumulates = 0;
    }

    LayerOperations perImage(long images) {
        return new LayerOperations(layer, accumulates / images, multiplyAccumulates / images);
    }
}
