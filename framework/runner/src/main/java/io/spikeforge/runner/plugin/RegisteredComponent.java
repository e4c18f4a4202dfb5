package io.spikeforge.runner.plugin;

import io.spikeforge.api.component.ComponentKind;
import io.spikeforge.api.component.ComponentProvenance;
import io.spikeforge.api.component.ComponentProvider;
import io.spikeforge.api.component.ResolvedParameters;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A component provider together with where it came from.
 *
 * @param provider the provider
 * @param pluginId id of the plugin that supplied it
 * @param pluginVersion that plugin's version
 * @param source the plugin's jar or folder
 */
public record RegisteredComponent(ComponentProvider provider, String pluginId, String pluginVersion, Path source) {
    public RegisteredComponent {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(pluginId, "pluginId");
        Objects.requireNonNull(pluginVersion, "pluginVersion");
        Objects.requireNonNull(source, "source");
    }

    public ComponentKind kind() {
        return ComponentKind.of(provider);
    }

    public String id() {
        return provider.id();
    }

    /** The provenance of this component configured with {@code parameters}. */
    public ComponentProvenance provenance(ResolvedParameters parameters) {
        return new ComponentProvenance(kind(), id(), pluginId, pluginVersion, parameters.asMap());
    }
}
