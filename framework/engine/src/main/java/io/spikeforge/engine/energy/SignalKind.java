package io.spikeforge.engine.energy;

/**
 * What a layer's input carries, which decides how its operations are counted: real values need a
 * multiply-accumulate per synapse, spikes only an accumulate of the weight per spike.
 */
public enum SignalKind {
    /** Real values: images, BN outputs, pooled means; the layer does its multiply-accumulates. */
    REAL,
    /** Spikes, 0 or 1: each spike adds the weights of its synapses, one accumulate each. */
    SPIKES,
    /**
     * Sums of spikes, non-negative integers, such as a SEW block's output (a spike of the main path
     * plus one of the shortcut): a value n adds each weight n times, n accumulates per synapse.
     */
    SPIKE_COUNTS;

    /** Whether a layer with this input is driven by spikes (counts accumulates, not multiply-accumulates). */
    public boolean spikeDriven() {
        return this != REAL;
    }

    /** What the element-wise sum of two signals carries: integers if both are, else real values. */
    public SignalKind plus(SignalKind other) {
        return spikeDriven() && other.spikeDriven() ? SPIKE_COUNTS : REAL;
    }
}
