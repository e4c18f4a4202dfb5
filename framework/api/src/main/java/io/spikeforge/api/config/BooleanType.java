package io.spikeforge.api.config;

/** {@code true} or {@code false}, resolved to a {@code Boolean}. */
public final class BooleanType implements ValueType {
    private static final BooleanType INSTANCE = new BooleanType();

    private BooleanType() {
    }

    /** The boolean type. */
    public static BooleanType of() {
        return INSTANCE;
    }

    @Override
    public String allowed() {
        return "a boolean (true or false)";
    }

    @Override
    public Checked check(Object value) {
        return value instanceof Boolean ? Checked.valid(value) : Checked.mismatch(allowed(), "");
    }

    @Override
    public String toString() {
        return allowed();
    }
}
