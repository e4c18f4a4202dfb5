package io.spikeforge.runner.config;

import io.spikeforge.api.component.ComponentProvenance;
import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.runner.plugin.RegisteredComponent;
import java.util.Objects;

/**
 * A configured component slot ({@code neuron}, {@code surrogate}, {@code initialization},
 * {@code distillation}): the selected provider and its validated parameters, defaults included.
 *
 * @param component the provider and the plugin that supplied it
 * @param parameters its parameters, validated by the provider
 */
public record ComponentSlot(RegisteredComponent component, ResolvedParameters parameters) {
    public ComponentSlot {
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(parameters, "parameters");
    }

    /** The provider's id, as selected in YAML. */
    public String id() {
        return component.id();
    }

    /** The component for messages: "the neuron model 'lif' from plugin 'lif' 0.1.0". */
    public String describe() {
        return describe(component);
    }

    static String describe(RegisteredComponent component) {
        return "the " + component.kind().displayName() + " '" + component.id() + "' from plugin '"
                + component.pluginId() + "' " + component.pluginVersion();
    }

    /** What to record with a run: kind, id, plugin, version and parameters. */
    public ComponentProvenance provenance() {
        return component.provenance(parameters);
    }
}
