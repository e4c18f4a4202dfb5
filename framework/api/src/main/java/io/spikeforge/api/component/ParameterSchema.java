package io.spikeforge.api.component;

import io.spikeforge.api.config.Checked;
import io.spikeforge.api.config.Suggestions;
import io.spikeforge.api.config.ValueText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The ordered set of parameters a component declares, and their validation. */
public final class ParameterSchema {
    private static final ParameterSchema EMPTY = new ParameterSchema(List.of());

    private final Map<String, ParameterSpec> specs;

    private ParameterSchema(List<ParameterSpec> specs) {
        Map<String, ParameterSpec> byName = new LinkedHashMap<>();
        for (ParameterSpec spec : specs) {
            if (byName.put(spec.name(), spec) != null) {
                throw new IllegalArgumentException("parameter '" + spec.name() + "' is declared twice");
            }
        }
        this.specs = Collections.unmodifiableMap(byName);
    }

    /** A schema of the given parameters, in the given order. */
    public static ParameterSchema of(ParameterSpec... specs) {
        return specs.length == 0 ? EMPTY : new ParameterSchema(Arrays.asList(specs));
    }

    /** A schema with no parameters. */
    public static ParameterSchema empty() {
        return EMPTY;
    }

    /** The parameters in declaration order. */
    public List<ParameterSpec> specs() {
        return List.copyOf(specs.values());
    }

    public Optional<ParameterSpec> find(String name) {
        return Optional.ofNullable(specs.get(name));
    }

    /**
     * Validates a component's YAML block (without its {@code id} key) and fills in defaults.
     *
     * @throws InvalidParametersException listing every unknown key, wrong type, out-of-range value
     *     and missing required parameter
     */
    public ResolvedParameters resolve(Map<String, ?> raw) {
        List<ParameterProblem> problems = new ArrayList<>();
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, ?> entry : raw.entrySet()) {
            if (!specs.containsKey(entry.getKey())) {
                problems.add(new ParameterProblem(entry.getKey(), unknownKeyMessage(entry.getKey())));
            }
        }
        for (ParameterSpec spec : specs.values()) {
            if (raw.containsKey(spec.name())) {
                Object given = raw.get(spec.name());
                if (given == null && !spec.required() && spec.defaultValue() == null) {
                    values.put(spec.name(), null);
                    continue;
                }
                Checked checked = spec.check(given);
                if (checked.ok()) {
                    values.put(spec.name(), checked.value());
                } else {
                    problems.add(new ParameterProblem(spec.name(), checked.message(ValueText.describe(given))));
                }
            } else if (spec.required()) {
                problems.add(new ParameterProblem(spec.name(), "is required: expected " + spec.allowed()));
            } else {
                values.put(spec.name(), spec.defaultValue());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidParametersException(problems);
        }
        return new ResolvedParameters(values);
    }

    /** The defaults of every parameter; fails if a parameter is required. */
    public ResolvedParameters defaults() {
        return resolve(Map.of());
    }

    private String unknownKeyMessage(String key) {
        if (specs.isEmpty()) {
            return "unknown parameter; this component takes no parameters";
        }
        String suggestion = Suggestions.didYouMean(key, specs.keySet());
        return "unknown parameter" + (suggestion.isEmpty() ? "." : suggestion) + " Allowed: "
                + String.join(", ", specs.keySet());
    }
}
