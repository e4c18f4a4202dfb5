package io.spikeforge.api.convert;

/** Whether a spiking layer has one threshold or one per channel. */
public enum ThresholdGranularity {
    /** One threshold for the whole layer. */
    LAYER,
    /** One threshold per channel (dimension 1 of the layer's activations). */
    CHANNEL
}
