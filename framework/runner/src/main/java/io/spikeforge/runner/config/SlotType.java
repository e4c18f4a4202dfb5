package io.spikeforge.runner.config;

import io.spikeforge.api.component.ComponentKind;
import io.spikeforge.api.component.InvalidParametersException;
import io.spikeforge.api.component.ParameterProblem;
import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.runner.plugin.ComponentRegistry;
import io.spikeforge.runner.plugin.RegisteredComponent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A component slot: a mapping whose {@code id} selects a provider of one extension point from the
 * registry and whose other keys are that provider's parameters. The id alone may be written instead
 * of the mapping, and a slot with a default may leave out the id; a nullable slot is disabled by
 * {@code none} or null. Resolves to a {@link ComponentSlot}, or null when disabled.
 *
 * @param kind the extension point
 * @param nullable whether the slot may be disabled
 * @param defaultId the provider used when the key is absent; null for a nullable slot disabled by default
 */
record SlotType(ComponentKind kind, boolean nullable, String defaultId) implements ValueType {
    static final String ID_KEY = "id";
    static final String DISABLED = "none";

    SlotType {
        Objects.requireNonNull(kind, "kind");
        if (defaultId == null && !nullable) {
            throw new IllegalArgumentException("a slot that cannot be disabled needs a default id");
        }
    }

    @Override
    public String allowed() {
        return Messages.withArticle(kind.displayName())
                + ": a mapping with an 'id' and that component's parameters, or the id alone"
                + (nullable ? ", or none" : "");
    }

    @Override
    public boolean acceptsNull() {
        return true;
    }

    @Override
    public Object resolveAbsent(KeyContext context) {
        return defaultId == null ? null : select(defaultId, context.keyLocation(), Map.of(),
                ConfigNode.Mapping.empty(context.keyLocation()), context);
    }

    @Override
    public Object resolve(ConfigNode value, KeyContext context) {
        if (value instanceof ConfigNode.Scalar scalar) {
            if (scalar.isNull() || DISABLED.equals(scalar.value())) {
                return nullable ? null : context.error("cannot be disabled: "
                        + Messages.withArticle(kind.displayName()) + " is needed; available: " + available(context));
            }
            if (scalar.value() instanceof String id) {
                return select(id, context.keyLocation(), Map.of(), ConfigNode.Mapping.empty(scalar.location()),
                        context);
            }
            return context.expected(allowed(), value);
        }
        if (!(value instanceof ConfigNode.Mapping mapping)) {
            return context.expected(allowed(), value);
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        mapping.entries().stream()
                .filter(e -> !e.key().equals(ID_KEY))
                .forEach(e -> parameters.put(e.key(), ConfigNode.toPlain(e.value())));
        Optional<ConfigNode.Entry> idEntry = mapping.entry(ID_KEY);
        if (idEntry.isEmpty()) {
            if (defaultId != null) {
                // Parameters without an id tune the default component: `neuron.decay=0.5` alone works.
                return select(defaultId, context.keyLocation(), parameters, mapping, context);
            }
            return new KeyContext(context.validator(), context.path() + "." + ID_KEY, context.keyLocation())
                    .error("is required: the id of " + Messages.withArticle(kind.displayName()) + ", one of "
                            + available(context));
        }
        KeyContext idContext = new KeyContext(context.validator(), context.path() + "." + ID_KEY,
                idEntry.get().keyLocation());
        if (!(idEntry.get().value() instanceof ConfigNode.Scalar idScalar) || !idScalar.isString()) {
            return idContext.expected("the id of " + Messages.withArticle(kind.displayName()) + ", one of "
                    + available(context), idEntry.get().value());
        }
        if (nullable && DISABLED.equals(idScalar.value())) {
            return parameters.isEmpty() ? null
                    : idContext.error("is none, which disables the slot; remove its parameters or choose one of "
                            + String.join(", ", context.validator().registry().ids(kind)));
        }
        return select((String) idScalar.value(), idEntry.get().keyLocation(), parameters, mapping, context);
    }

    /**
     * Looks up the provider and validates its parameters.
     *
     * @param idLocation where the id was written (the slot's location when it was not)
     * @param block the slot's mapping, to locate each parameter's key
     */
    private Object select(String id, ConfigLocation idLocation, Map<String, Object> parameters,
                          ConfigNode.Mapping block, KeyContext context) {
        ComponentRegistry registry = context.validator().registry();
        Optional<RegisteredComponent> found = registry.find(kind, id);
        if (found.isEmpty()) {
            String message = registry.ids(kind).isEmpty()
                    ? "unknown " + kind.displayName() + " '" + id + "': no plugin supplies any " + kind.displayName()
                            + " (`spikeforge plugins` shows the plugin folders read and what they supply)"
                    : "unknown " + kind.displayName() + " '" + id + "'" + Messages.suggestion(id, registry.ids(kind))
                            + "available: " + available(context);
            return new KeyContext(context.validator(), context.path() + "." + ID_KEY, idLocation).error(message);
        }
        RegisteredComponent component = found.get();
        try {
            ResolvedParameters resolved = component.provider().parameters().resolve(parameters);
            component.provider().validate(resolved);
            return new ComponentSlot(component, resolved);
        } catch (InvalidParametersException e) {
            for (ParameterProblem problem : e.problems()) {
                Optional<ConfigNode.Entry> entry = problem.key().isEmpty() ? Optional.empty()
                        : block.entry(problem.key());
                String path = problem.key().isEmpty() ? context.path() : context.path() + "." + problem.key();
                ConfigLocation location = entry.map(ConfigNode.Entry::keyLocation).orElse(context.keyLocation());
                context.validator().errors().add(location, path, problem.message());
            }
        } catch (RuntimeException e) {
            // A plugin's bug must not hide the rest of the file's problems behind a stack trace.
            context.error("the " + kind.displayName() + " '" + id + "' from plugin '" + component.pluginId() + "' "
                    + component.pluginVersion() + " failed while checking its parameters: " + e);
        }
        return INVALID;
    }

    private String available(KeyContext context) {
        String ids = String.join(", ", context.validator().registry().ids(kind));
        return (ids.isEmpty() ? "(none installed)" : ids) + (nullable ? " (or none to disable it)" : "");
    }
}
