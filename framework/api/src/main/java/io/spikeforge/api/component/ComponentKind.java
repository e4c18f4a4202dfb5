package io.spikeforge.api.component;

import io.spikeforge.api.activation.AnnActivationProvider;
import io.spikeforge.api.convert.ThresholdStrategyProvider;
import io.spikeforge.api.distill.DistillationLossProvider;
import io.spikeforge.api.init.InitializationStrategyProvider;
import io.spikeforge.api.neuron.NeuronModelProvider;
import io.spikeforge.api.neuron.SurrogateFunctionProvider;

/** The extension points, with the provider interface a plugin implements for each. */
public enum ComponentKind {
    NEURON_MODEL("neuron model", "neuron models", NeuronModelProvider.class),
    SURROGATE_FUNCTION("surrogate function", "surrogate functions", SurrogateFunctionProvider.class),
    INITIALIZATION_STRATEGY("initialization strategy", "initialization strategies",
            InitializationStrategyProvider.class),
    DISTILLATION_LOSS("distillation loss", "distillation losses", DistillationLossProvider.class),
    ANN_ACTIVATION("ANN activation", "ANN activations", AnnActivationProvider.class),
    THRESHOLD_STRATEGY("threshold strategy", "threshold strategies", ThresholdStrategyProvider.class);

    private final String displayName;
    private final String pluralDisplayName;
    private final Class<? extends ComponentProvider> providerType;

    ComponentKind(String displayName, String pluralDisplayName, Class<? extends ComponentProvider> providerType) {
        this.displayName = displayName;
        this.pluralDisplayName = pluralDisplayName;
        this.providerType = providerType;
    }

    /** Human-readable name, such as "neuron model". */
    public String displayName() {
        return displayName;
    }

    /** Human-readable plural, such as "neuron models". */
    public String pluralDisplayName() {
        return pluralDisplayName;
    }

    /** The provider interface plugins implement for this extension point. */
    public Class<? extends ComponentProvider> providerType() {
        return providerType;
    }

    /** The kind whose provider interface {@code provider} implements. */
    public static ComponentKind of(ComponentProvider provider) {
        for (ComponentKind kind : values()) {
            if (kind.providerType.isInstance(provider)) {
                return kind;
            }
        }
        throw new IllegalArgumentException(provider.getClass().getName() + " implements none of the extension points");
    }
}
