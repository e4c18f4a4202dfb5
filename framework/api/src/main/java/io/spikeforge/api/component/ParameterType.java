package io.spikeforge.api.component;

/** The value types a component parameter can take in YAML. */
public enum ParameterType {
    /** {@code true} or {@code false}. */
    BOOLEAN("a boolean (true or false)"),
    /** A whole number. */
    INTEGER("an integer"),
    /** A real number; whole numbers are accepted. */
    DOUBLE("a number"),
    /** Free text. */
    STRING("a string"),
    /** One of a fixed set of words. */
    CHOICE("one of a fixed set of values");

    private final String description;

    ParameterType(String description) {
        this.description = description;
    }

    /** A phrase for error messages, such as "a number". */
    public String description() {
        return description;
    }
}
