package io.spikeforge.runner.config;

import io.spikeforge.api.component.ComponentKind;
import io.spikeforge.api.component.ComponentProvider;
import io.spikeforge.api.component.InvalidParametersException;
import io.spikeforge.api.component.ParameterProblem;
import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.runner.plugin.ComponentRegistry;
import io.spikeforge.runner.plugin.RegisteredComponent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A component slot: a mapping whose {@code id} selects a provider of one extension point from the
 * registry and whose other keys are that provider's parameters. The id alone may be written instead
 * of the mapping, and a slot with a default may leave out the id; a nullable slot is disabled by
 * {@code none} or null. Resolves to a {@link ComponentSlot}, or null when disabled; its parameters
 * are the provider's completed ones ({@link io.spikeforge.api.component.ComponentProvider#complete}).
 *
 * <p>{@code plugin} and {@code plugin_version}, which a run's resolved configuration records, may
 * stand beside the id: another plugin supplying the component now is an error, another version of
 * it a warning.
 *
 * @param kind the extension point
 * @param nullable whether the slot may be disabled
 * @param defaultId the provider used when the key is absent; null for a nullable slot disabled by default
 */
record SlotType(ComponentKind kind, boolean nullable, String defaultId) implements KeyType {
    static final String ID_KEY = "id";
    static final String PLUGIN_KEY = "plugin";
    static final String PLUGIN_VERSION_KEY = "plugin_version";
    /**
     * Bundled plugins renamed since, old id to new: a run's {@code config.yaml} written before the
     * rename records the old id, and {@code --resume} must still read it (the {@code rectangular}
     * surrogate moved into the {@code surrogates} plugin, unchanged).
     */
    private static final Map<String, String> RENAMED_PLUGINS = Map.of("rectangular", "surrogates");
    static final String DISABLED = "none";
    private static final List<String> NOT_PARAMETERS = List.of(ID_KEY, PLUGIN_KEY, PLUGIN_VERSION_KEY);

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
                .filter(e -> !NOT_PARAMETERS.contains(e.key()))
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
        if (!recordedPluginMatches(component, block, context)) {
            return INVALID;
        }
        ComponentProvider provider = component.provider();
        ResolvedParameters resolved;
        try {
            resolved = provider.parameters().resolve(parameters);
            provider.validate(resolved);
        } catch (InvalidParametersException e) {
            for (ParameterProblem problem : e.problems()) {
                Optional<ConfigNode.Entry> entry = problem.key().isEmpty() ? Optional.empty()
                        : block.entry(problem.key());
                String path = problem.key().isEmpty() ? context.path() : context.path() + "." + problem.key();
                ConfigLocation location = entry.map(ConfigNode.Entry::keyLocation).orElse(context.keyLocation());
                context.validator().errors().add(location, path, problem.message());
            }
            return INVALID;
        } catch (RuntimeException | LinkageError e) {
            // A plugin's bug, or a plugin built against other versions of the API or a library than
            // those it runs with, must not hide the rest of the file's problems behind a stack trace.
            return context.error(ComponentSlot.describe(component) + " failed while checking its parameters: " + e);
        }
        try {
            return new ComponentSlot(component, completed(provider, resolved));
        } catch (RuntimeException | LinkageError e) {
            return context.error(ComponentSlot.describe(component) + " failed while completing its parameters "
                    + resolved.asMap() + ": " + e);
        }
    }

    /**
     * The provider's completion of valid parameters, checked to be itself valid and complete: what a
     * run records must load back to the same component.
     *
     * @throws IllegalStateException when the completion breaks that rule (a bug in the plugin)
     */
    private static ResolvedParameters completed(ComponentProvider provider, ResolvedParameters resolved) {
        ResolvedParameters completed = provider.complete(resolved);
        if (completed.equals(resolved)) {
            return resolved;
        }
        try {
            ResolvedParameters reloaded = provider.parameters().resolve(completed.asMap());
            provider.validate(reloaded);
            if (reloaded.equals(completed) && provider.complete(reloaded).equals(reloaded)) {
                return completed;
            }
        } catch (InvalidParametersException e) {
            throw new IllegalStateException("its completion " + completed.asMap() + " fails its own checks: "
                    + e.getMessage(), e);
        }
        throw new IllegalStateException("its completion " + completed.asMap() + " does not complete to itself");
    }

    /**
     * Checks the {@code plugin} and {@code plugin_version} a resolved configuration recorded against
     * the component installed now; a version that differs is a warning.
     *
     * @return false when a problem was reported
     */
    private boolean recordedPluginMatches(RegisteredComponent component, ConfigNode.Mapping block,
                                          KeyContext context) {
        boolean text = true;
        for (String key : List.of(PLUGIN_KEY, PLUGIN_VERSION_KEY)) {
            Optional<ConfigNode> value = block.entry(key).map(ConfigNode.Entry::value);
            if (value.isPresent() && recorded(block, key).isEmpty()) {
                keyContext(context, block, key).expectedText("the " + (key.equals(PLUGIN_KEY) ? "id" : "version")
                        + " of the plugin that supplies the component, as a string", value.get());
                text = false;
            }
        }
        if (!text) {
            return false;
        }
        Optional<String> plugin = recorded(block, PLUGIN_KEY);
        if (plugin.isPresent() && !plugin.get().equals(component.pluginId())
                && !component.pluginId().equals(RENAMED_PLUGINS.get(plugin.get()))) {
            keyContext(context, block, PLUGIN_KEY).error("recorded as '" + plugin.get() + "', but "
                    + ComponentSlot.describe(component) + " is installed instead; install plugin '" + plugin.get()
                    + "', or remove " + context.path() + "." + PLUGIN_KEY + " and " + PLUGIN_VERSION_KEY
                    + " to use the installed one");
            return false;
        }
        Optional<String> version = recorded(block, PLUGIN_VERSION_KEY);
        if (version.isPresent() && !version.get().equals(component.pluginVersion())) {
            KeyContext where = keyContext(context, block, PLUGIN_VERSION_KEY);
            context.validator().errors().warn(where.keyLocation(), where.path(), "recorded as " + version.get()
                    + ", but plugin '" + component.pluginId() + "' is " + component.pluginVersion()
                    + " now: the " + kind.displayName() + " '" + component.id() + "' may behave differently");
        }
        return true;
    }

    /** The text written for a recorded key; empty when absent or not text. */
    private static Optional<String> recorded(ConfigNode.Mapping block, String key) {
        return block.entry(key).map(ConfigNode.Entry::value)
                .filter(value -> value instanceof ConfigNode.Scalar scalar && scalar.isString())
                .map(value -> (String) ((ConfigNode.Scalar) value).value());
    }

    private static KeyContext keyContext(KeyContext slot, ConfigNode.Mapping block, String key) {
        return new KeyContext(slot.validator(), slot.path() + "." + key,
                block.entry(key).map(ConfigNode.Entry::keyLocation).orElse(slot.keyLocation()));
    }

    private String available(KeyContext context) {
        String ids = String.join(", ", context.validator().registry().ids(kind));
        return (ids.isEmpty() ? "(none installed)" : ids) + (nullable ? " (or none to disable it)" : "");
    }
}
