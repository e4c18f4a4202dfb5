package io.spikeforge.api.component;

import io.spikeforge.api.config.BooleanType;
import io.spikeforge.api.config.Checked;
import io.spikeforge.api.config.ChoiceType;
import io.spikeforge.api.config.IntegerType;
import io.spikeforge.api.config.NumberType;
import io.spikeforge.api.config.StringType;
import io.spikeforge.api.config.ValueText;
import io.spikeforge.api.config.ValueType;
import java.util.List;
import java.util.Objects;

/**
 * A parameter a component declares: name, {@link ValueType type}, default and a one-line
 * description. The types are those of experiment files, so a parameter's range or choice reads
 * and fails like any key of the experiment.
 *
 * <p>Build with the static factories and the {@code opt*} setters, for example
 * {@code ParameterSpec.number("decay").optDefault(0.25).optRange(0, 1).optDescription("...").build()}.
 * A parameter without a default is required unless {@link Builder#optional()} is called, in which
 * case it may be absent (its value is then {@code null}).
 *
 * <p>Numbers are finite: {@code .nan} is never a value, and {@code .inf} and {@code -.inf} are refused
 * unless {@link Builder#optInfinite()} allows them.
 */
public final class ParameterSpec {
    /** Keys of a component slot that are not parameters: the component's id and the plugin that supplied it. */
    private static final List<String> RESERVED_NAMES = List.of("id", "plugin", "plugin_version");

    private final String name;
    private final ValueType type;
    private final Object defaultValue;
    private final boolean required;
    private final String description;

    private ParameterSpec(Builder b) {
        this.name = b.name;
        this.type = b.type;
        this.required = b.defaultValue == null && !b.optional;
        this.description = b.description;
        // The default must satisfy the parameter's own rules: a bad default is a plugin bug.
        this.defaultValue = b.defaultValue == null ? null : checkedDefault(b.defaultValue);
    }

    /** A real-valued parameter ({@link NumberType}). */
    public static Builder number(String name) {
        return new Builder(name, NumberType.any());
    }

    /** An integer parameter ({@link IntegerType}, any {@code long}). */
    public static Builder integer(String name) {
        return new Builder(name, IntegerType.ofLong());
    }

    /** A boolean parameter. */
    public static Builder bool(String name) {
        return new Builder(name, BooleanType.of());
    }

    /** A free-text parameter. */
    public static Builder string(String name) {
        return new Builder(name, StringType.any());
    }

    /** A parameter that takes one of the given words. */
    public static Builder choice(String name, String... choices) {
        if (choices.length == 0) {
            throw new IllegalArgumentException("choice parameter '" + name + "' needs at least one value");
        }
        return new Builder(name, ChoiceType.ofWords(choices));
    }

    public String name() {
        return name;
    }

    /** What the parameter accepts. */
    public ValueType type() {
        return type;
    }

    /** The default value (Boolean, Long, Double or String), or {@code null} when there is none. */
    public Object defaultValue() {
        return defaultValue;
    }

    /** True when the parameter has no default and must be given. */
    public boolean required() {
        return required;
    }

    /** The allowed words of a choice parameter; empty otherwise. */
    public List<String> choices() {
        return type instanceof ChoiceType choice ? choice.names() : List.of();
    }

    public String description() {
        return description;
    }

    /** What values are allowed, as a phrase: "a number in [0, 1]", "one of hard, soft". */
    public String allowed() {
        return type.allowed();
    }

    /**
     * Checks a value as YAML read it and converts it to this parameter's Java type (Boolean, Long,
     * Double or String); null has no value.
     */
    public Checked check(Object raw) {
        return raw == null ? Checked.problem("has no value; expected " + allowed()) : type.check(raw);
    }

    private Object checkedDefault(Object raw) {
        Checked checked = check(raw);
        if (!checked.ok()) {
            throw new IllegalArgumentException("default of parameter '" + name + "' "
                    + checked.message(ValueText.describe(raw)));
        }
        return checked.value();
    }

    @Override
    public String toString() {
        return name + " (" + allowed() + (defaultValue == null ? "" : ", default " + defaultValue) + ")";
    }

    /** Builder for {@link ParameterSpec}. */
    public static final class Builder {
        private final String name;
        private ValueType type;
        private Object defaultValue;
        private boolean optional;
        private String description = "";

        private Builder(String name, ValueType type) {
            this.name = Objects.requireNonNull(name, "name");
            if (!name.matches("[a-z][a-z0-9_]*")) {
                throw new IllegalArgumentException("parameter name '" + name + "' must be snake_case ([a-z][a-z0-9_]*)");
            }
            if (RESERVED_NAMES.contains(name)) {
                throw new IllegalArgumentException("'" + name + "' is reserved: a component slot in YAML uses it"
                        + " beside the parameters (id, plugin, plugin_version)");
            }
            this.type = type;
        }

        /** The value used when the YAML block does not give one. */
        public Builder optDefault(Object value) {
            this.defaultValue = Objects.requireNonNull(value, "default");
            return this;
        }

        /** Lets the parameter be absent without a default. */
        public Builder optional() {
            this.optional = true;
            return this;
        }

        /** Closed range {@code [min, max]}. */
        public Builder optRange(double min, double max) {
            return optMin(min, true).optMax(max, true);
        }

        /** Lower bound, inclusive or not. */
        public Builder optMin(double min, boolean inclusive) {
            if (type instanceof NumberType number) {
                type = number.optMin(min, inclusive);
            } else if (type instanceof IntegerType integer) {
                type = integer.optMin(min, inclusive);
            } else {
                throw notNumeric("ranges apply to numbers only");
            }
            return this;
        }

        /** Upper bound, inclusive or not. */
        public Builder optMax(double max, boolean inclusive) {
            if (type instanceof NumberType number) {
                type = number.optMax(max, inclusive);
            } else if (type instanceof IntegerType integer) {
                type = integer.optMax(max, inclusive);
            } else {
                throw notNumeric("ranges apply to numbers only");
            }
            return this;
        }

        /**
         * Accepts {@code .inf} and {@code -.inf} (within the range) for a number parameter whose
         * component gives infinity a meaning; without it numbers must be finite.
         */
        public Builder optInfinite() {
            if (!(type instanceof NumberType number)) {
                throw notNumeric("only number parameters can be infinite");
            }
            type = number.optInfinite();
            return this;
        }

        /** One line saying what the parameter does. */
        public Builder optDescription(String description) {
            this.description = Objects.requireNonNull(description, "description");
            return this;
        }

        private IllegalStateException notNumeric(String rule) {
            return new IllegalStateException("parameter '" + name + "' is " + type.allowed() + ": " + rule);
        }

        public ParameterSpec build() {
            return new ParameterSpec(this);
        }
    }
}
