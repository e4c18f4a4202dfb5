package io.spikeforge.runner.plugin;

import io.spikeforge.api.component.ComponentKind;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Every available component, by extension point and id. Immutable. */
public final class ComponentRegistry {
    private final Map<ComponentKind, Map<String, RegisteredComponent>> byKind;

    private ComponentRegistry(Map<ComponentKind, Map<String, RegisteredComponent>> byKind) {
        this.byKind = byKind;
    }

    /**
     * Builds a registry.
     *
     * @throws DuplicateComponentException when two components of one extension point share an id
     */
    public static ComponentRegistry of(List<RegisteredComponent> components) {
        Map<ComponentKind, Map<String, RegisteredComponent>> byKind = new EnumMap<>(ComponentKind.class);
        for (ComponentKind kind : ComponentKind.values()) {
            byKind.put(kind, new TreeMap<>());
        }
        for (RegisteredComponent component : components) {
            RegisteredComponent previous = byKind.get(component.kind()).putIfAbsent(component.id(), component);
            if (previous != null) {
                throw new DuplicateComponentException(component.kind(), component.id(), previous, component);
            }
        }
        byKind.replaceAll((k, v) -> Collections.unmodifiableMap(v));
        return new ComponentRegistry(Collections.unmodifiableMap(byKind));
    }

    /** The component of the given extension point and id. */
    public Optional<RegisteredComponent> find(ComponentKind kind, String id) {
        return Optional.ofNullable(byKind.get(kind).get(id));
    }

    /** The ids available for an extension point, sorted. */
    public Set<String> ids(ComponentKind kind) {
        return byKind.get(kind).keySet();
    }

    /** All components of an extension point, by id. */
    public Map<String, RegisteredComponent> components(ComponentKind kind) {
        return byKind.get(kind);
    }

    /** All components, by extension point then id. */
    public List<RegisteredComponent> all() {
        return byKind.values().stream().flatMap(m -> m.values().stream()).toList();
    }
}
