package io.spikeforge.api.component;

import io.spikeforge.api.config.Suggestions;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A component's validated parameters with defaults filled in. Immutable.
 *
 * <p>Values are Boolean, Long, Double or String; an optional parameter that was not given is
 * present with a {@code null} value (see {@link #isSet(String)}).
 */
public final class ResolvedParameters {
    private final Map<String, Object> values;

    ResolvedParameters(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** True when the parameter has a value (not an absent optional one). */
    public boolean isSet(String name) {
        return require(name) != null;
    }

    public double getDouble(String name) {
        return ((Number) requireValue(name)).doubleValue();
    }

    public long getLong(String name) {
        return ((Number) requireValue(name)).longValue();
    }

    public int getInt(String name) {
        return Math.toIntExact(getLong(name));
    }

    public boolean getBoolean(String name) {
        return (Boolean) requireValue(name);
    }

    public String getString(String name) {
        return (String) requireValue(name);
    }

    /**
     * A copy with one parameter's value replaced, for {@link ComponentProvider#complete}.
     *
     * @param value Boolean, Long, Double or String, or null to unset an optional parameter
     * @throws IllegalArgumentException when no such parameter is declared
     */
    public ResolvedParameters with(String name, Object value) {
        require(name);
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(name, value);
        return new ResolvedParameters(copy);
    }

    /** Every parameter and its value in declaration order, for provenance and logs. */
    public Map<String, Object> asMap() {
        return values;
    }

    private Object requireValue(String name) {
        Object value = require(name);
        if (value == null) {
            throw new IllegalStateException("optional parameter '" + name + "' is not set; check isSet() first");
        }
        return value;
    }

    private Object require(String name) {
        if (!values.containsKey(name)) {
            throw new IllegalArgumentException("no parameter '" + name + "' is declared"
                    + Suggestions.didYouMean(name, values.keySet()));
        }
        return values.get(name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResolvedParameters && ((ResolvedParameters) o).values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
