package io.spikeforge.api.component;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where a configured component came from, recorded with every run: which extension point, which
 * id, which plugin and version supplied it, and the parameters it was built with (defaults
 * included).
 *
 * @param kind the extension point
 * @param id the component's id
 * @param pluginId the supplying plugin's id ({@code "host"} for components on the host class path)
 * @param pluginVersion the supplying plugin's version
 * @param parameters the resolved parameters, in declaration order
 */
public record ComponentProvenance(ComponentKind kind, String id, String pluginId, String pluginVersion,
                                  Map<String, Object> parameters) {
    public ComponentProvenance {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(pluginId, "pluginId");
        Objects.requireNonNull(pluginVersion, "pluginVersion");
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /**
     * Flat string entries for a run's log, every key under {@code prefix}: {@code prefix.id},
     * {@code prefix.plugin}, {@code prefix.plugin_version}, {@code prefix.<parameter>}.
     */
    public Map<String, String> flatten(String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(prefix + ".id", id);
        out.put(prefix + ".plugin", pluginId);
        out.put(prefix + ".plugin_version", pluginVersion);
        parameters.forEach((k, v) -> out.put(prefix + "." + k, String.valueOf(v)));
        return out;
    }
}
