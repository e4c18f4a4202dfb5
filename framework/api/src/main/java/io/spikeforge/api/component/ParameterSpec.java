package io.spikeforge.api.component;

import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parameter a component declares: name, type, default, allowed values and a one-line description.
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
    private final ParameterType type;
    private final Object defaultValue;
    private final boolean required;
    private final Double min;
    private final Double max;
    private final boolean minInclusive;
    private final boolean maxInclusive;
    private final boolean infiniteAllowed;
    private final List<String> choices;
    private final String description;

    private ParameterSpec(Builder b) {
        this.name = b.name;
        this.type = b.type;
        this.required = b.defaultValue == null && !b.optional;
        this.min = b.min;
        this.max = b.max;
        this.minInclusive = b.minInclusive;
        this.maxInclusive = b.maxInclusive;
        this.infiniteAllowed = b.infiniteAllowed;
        this.choices = List.copyOf(b.choices);
        this.description = b.description;
        // The default must satisfy the parameter's own rules: a bad default is a plugin bug.
        this.defaultValue = b.defaultValue == null ? null : coerceOrThrow(b.defaultValue);
    }

    /** A real-valued parameter. */
    public static Builder number(String name) {
        return new Builder(name, ParameterType.DOUBLE);
    }

    /** An integer parameter. */
    public static Builder integer(String name) {
        return new Builder(name, ParameterType.INTEGER);
    }

    /** A boolean parameter. */
    public static Builder bool(String name) {
        return new Builder(name, ParameterType.BOOLEAN);
    }

    /** A free-text parameter. */
    public static Builder string(String name) {
        return new Builder(name, ParameterType.STRING);
    }

    /** A parameter that takes one of the given words. */
    public static Builder choice(String name, String... choices) {
        Builder b = new Builder(name, ParameterType.CHOICE);
        if (choices.length == 0) {
            throw new IllegalArgumentException("choice parameter '" + name + "' needs at least one value");
        }
        b.choices = List.of(choices);
        return b;
    }

    public String name() {
        return name;
    }

    public ParameterType type() {
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

    /** The allowed words of a {@link ParameterType#CHOICE} parameter; empty otherwise. */
    public List<String> choices() {
        return choices;
    }

    public String description() {
        return description;
    }

    /** What values are allowed, as a phrase: "a number in [0, 1]", "one of hard, soft". */
    public String allowed() {
        switch (type) {
            case CHOICE:
                return "one of " + String.join(", ", choices);
            case DOUBLE:
            case INTEGER:
                String range = rangePhrase();
                return type.description() + (range.isEmpty() ? "" : " " + range)
                        + (infiniteAllowed ? " (.inf and -.inf included)" : "");
            default:
                return type.description();
        }
    }

    private String rangePhrase() {
        if (min != null && max != null) {
            return "in " + (minInclusive ? "[" : "(") + format(min) + ", " + format(max) + (maxInclusive ? "]" : ")");
        }
        if (min != null) {
            return (minInclusive ? ">= " : "> ") + format(min);
        }
        if (max != null) {
            return (maxInclusive ? "<= " : "< ") + format(max);
        }
        return "";
    }

    /**
     * Checks a raw YAML value and converts it to this parameter's Java type (Boolean, Long, Double or
     * String).
     *
     * @return the converted value, or an error message saying what was expected
     */
    public Result coerce(Object raw) {
        if (raw == null) {
            return Result.error("has no value; expected " + allowed());
        }
        Object value;
        switch (type) {
            case BOOLEAN:
                if (!(raw instanceof Boolean)) {
                    return mismatch(raw);
                }
                value = raw;
                break;
            case INTEGER:
                if (raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof Byte) {
                    value = ((Number) raw).longValue();
                } else if (raw instanceof BigInteger) {
                    return Result.error("is too large; expected " + allowed());
                } else {
                    return mismatch(raw);
                }
                break;
            case DOUBLE:
                if (!(raw instanceof Number)) {
                    return mismatch(raw);
                }
                value = ((Number) raw).doubleValue();
                double number = (Double) value;
                if (Double.isNaN(number) || (Double.isInfinite(number) && !infiniteAllowed)) {
                    String range = rangePhrase();
                    return Result.error("expected a finite number" + (range.isEmpty() ? "" : " " + range) + ", got "
                            + format(number));
                }
                break;
            case STRING:
                if (!(raw instanceof String)) {
                    return mismatch(raw);
                }
                value = raw;
                break;
            case CHOICE:
                if (!(raw instanceof String) || !choices.contains(raw)) {
                    String hint = raw instanceof String ? Suggestions.didYouMean((String) raw, choices) : "";
                    return Result.error("expected " + allowed() + ", got " + describe(raw) + hint);
                }
                value = raw;
                break;
            default:
                throw new IllegalStateException("unhandled type " + type);
        }
        if (value instanceof Number && !inRange(((Number) value).doubleValue())) {
            return Result.error("expected " + allowed() + ", got " + describe(raw));
        }
        return Result.ok(value);
    }

    private boolean inRange(double v) {
        if (min != null && (minInclusive ? v < min : v <= min)) {
            return false;
        }
        return max == null || (maxInclusive ? v <= max : v < max);
    }

    private Result mismatch(Object raw) {
        return Result.error("expected " + allowed() + ", got " + describe(raw));
    }

    private Object coerceOrThrow(Object raw) {
        Result r = coerce(raw);
        if (!r.ok()) {
            throw new IllegalArgumentException("default of parameter '" + name + "' " + r.error());
        }
        return r.value();
    }

    /** Describes a raw YAML value with its type, for error messages. */
    static String describe(Object raw) {
        if (raw == null) {
            return "nothing";
        }
        if (raw instanceof String) {
            return "the string '" + raw + "'";
        }
        if (raw instanceof Boolean) {
            return "the boolean " + raw;
        }
        if (raw instanceof Double || raw instanceof Float) {
            return "the number " + format(((Number) raw).doubleValue());
        }
        if (raw instanceof Number) {
            return "the integer " + raw;
        }
        if (raw instanceof java.util.Map) {
            return "a mapping";
        }
        if (raw instanceof java.util.List) {
            return "a list";
        }
        return "a " + raw.getClass().getSimpleName();
    }

    /** A number as YAML writes it: {@code 0.5}, {@code 4}, {@code .inf}, {@code -.inf}, {@code .nan}. */
    static String format(double v) {
        if (Double.isNaN(v)) {
            return ".nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? ".inf" : "-.inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    @Override
    public String toString() {
        return name + " (" + allowed() + (defaultValue == null ? "" : ", default " + defaultValue) + ")";
    }

    /** The outcome of {@link #coerce(Object)}: a value or an error message. */
    public static final class Result {
        private final Object value;
        private final String error;

        private Result(Object value, String error) {
            this.value = value;
            this.error = error;
        }

        static Result ok(Object value) {
            return new Result(value, null);
        }

        static Result error(String message) {
            return new Result(null, message);
        }

        public boolean ok() {
            return error == null;
        }

        public Object value() {
            return value;
        }

        public String error() {
            return error;
        }

        public Optional<String> errorMessage() {
            return Optional.ofNullable(error);
        }
    }

    /** Builder for {@link ParameterSpec}. */
    public static final class Builder {
        private final String name;
        private final ParameterType type;
        private Object defaultValue;
        private boolean optional;
        private Double min;
        private Double max;
        private boolean minInclusive = true;
        private boolean maxInclusive = true;
        private boolean infiniteAllowed;
        private List<String> choices = List.of();
        private String description = "";

        private Builder(String name, ParameterType type) {
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
            requireNumeric();
            this.min = min;
            this.minInclusive = inclusive;
            return this;
        }

        /** Upper bound, inclusive or not. */
        public Builder optMax(double max, boolean inclusive) {
            requireNumeric();
            this.max = max;
            this.maxInclusive = inclusive;
            return this;
        }

        /**
         * Accepts {@code .inf} and {@code -.inf} (within the range) for a number parameter whose
         * component gives infinity a meaning; without it numbers must be finite.
         */
        public Builder optInfinite() {
            if (type != ParameterType.DOUBLE) {
                throw new IllegalStateException("parameter '" + name + "' is " + type
                        + ": only number parameters can be infinite");
            }
            this.infiniteAllowed = true;
            return this;
        }

        /** One line saying what the parameter does. */
        public Builder optDescription(String description) {
            this.description = Objects.requireNonNull(description, "description");
            return this;
        }

        private void requireNumeric() {
            if (type != ParameterType.DOUBLE && type != ParameterType.INTEGER) {
                throw new IllegalStateException("parameter '" + name + "' is " + type + ": ranges apply to numbers only");
            }
        }

        public ParameterSpec build() {
            return new ParameterSpec(this);
        }
    }
}
