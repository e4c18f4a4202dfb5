package io.spikeforge.api.config;

import java.util.Objects;

/**
 * The outcome of {@link ValueType#check}: the converted value, or why the value is not allowed.
 * A value of the wrong kind or out of range is a <em>mismatch</em>, whose message the caller
 * completes with its own description of the value ({@link #message(String)}), because only the
 * caller knows how it was written; other problems carry their whole message.
 */
public final class Checked {
    private final Object value;
    private final String allowed;
    private final String suffix;
    private final String problem;

    private Checked(Object value, String allowed, String suffix, String problem) {
        this.value = value;
        this.allowed = allowed;
        this.suffix = suffix;
        this.problem = problem;
    }

    /** A valid value in its resolved form. */
    public static Checked valid(Object value) {
        return new Checked(Objects.requireNonNull(value, "value"), null, null, null);
    }

    /**
     * A value that is not what {@code allowed} says: "expected {allowed}, got {the value}{suffix}".
     *
     * @param suffix appended after the value, such as "; did you mean 'soft'?", or empty
     */
    public static Checked mismatch(String allowed, String suffix) {
        return new Checked(null, Objects.requireNonNull(allowed, "allowed"), Objects.requireNonNull(suffix, "suffix"),
                null);
    }

    /** A value refused with a message of its own, such as "expected a finite number > 0, got .inf". */
    public static Checked problem(String message) {
        return new Checked(null, null, null, Objects.requireNonNull(message, "message"));
    }

    /** True when the value is allowed. */
    public boolean ok() {
        return value != null;
    }

    /**
     * The resolved value.
     *
     * @throws IllegalStateException when the value was refused
     */
    public Object value() {
        if (value == null) {
            throw new IllegalStateException("the value was refused: " + message("the value"));
        }
        return value;
    }

    /**
     * Why the value was refused.
     *
     * @param got the value as the caller describes it: "the string 'four'" ({@link ValueText#describe})
     * @throws IllegalStateException when the value was allowed
     */
    public String message(String got) {
        if (value != null) {
            throw new IllegalStateException("the value " + value + " was allowed");
        }
        return problem != null ? problem : "expected " + allowed + ", got " + got + suffix;
    }

    @Override
    public String toString() {
        return ok() ? "valid " + value : "refused: " + message("the value");
    }
}
