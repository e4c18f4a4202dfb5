package io.spikeforge.api.convert;

import io.spikeforge.api.config.YamlChoice;
import java.util.Locale;

/** Whether a spiking layer has one threshold or one per channel; in YAML {@code layer} or {@code channel}. */
public enum ThresholdGranularity implements YamlChoice {
    /** One threshold for the whole layer. */
    LAYER,
    /** One threshold per channel (dimension 1 of the layer's activations). */
    CHANNEL;

    @Override
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
