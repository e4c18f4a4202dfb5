package io.spikeforge.api.config;

/**
 * A real number within optional bounds, resolved to a {@code Double}; whole numbers are accepted.
 * Numbers are finite: {@code .nan} is never allowed, {@code .inf} and {@code -.inf} only after
 * {@link #optInfinite()}.
 */
public final class NumberType implements ValueType {
    private final Range range;
    private final boolean infiniteAllowed;

    private NumberType(Range range, boolean infiniteAllowed) {
        this.range = range;
        this.infiniteAllowed = infiniteAllowed;
    }

    /** Any finite number. */
    public static NumberType any() {
        return new NumberType(Range.NONE, false);
    }

    /** A number with a lower bound. */
    public NumberType optMin(double min, boolean inclusive) {
        return new NumberType(range.withMin(min, inclusive), infiniteAllowed);
    }

    /** A number with an upper bound. */
    public NumberType optMax(double max, boolean inclusive) {
        return new NumberType(range.withMax(max, inclusive), infiniteAllowed);
    }

    /** A number in {@code [min, max]}. */
    public NumberType optRange(double min, double max) {
        return optMin(min, true).optMax(max, true);
    }

    /** Accepts {@code .inf} and {@code -.inf} within the bounds, for a value to which infinity means something. */
    public NumberType optInfinite() {
        return new NumberType(range, true);
    }

    @Override
    public String allowed() {
        return "a number" + range.suffix() + (infiniteAllowed ? " (.inf and -.inf included)" : "");
    }

    @Override
    public Checked check(Object value) {
        if (!(value instanceof Number number)) {
            return Checked.mismatch(allowed(), "");
        }
        double x = number.doubleValue();
        if (Double.isNaN(x) || (Double.isInfinite(x) && !infiniteAllowed)) {
            return Checked.problem("expected a finite number" + range.suffix() + ", got " + ValueText.number(x));
        }
        return range.contains(x) ? Checked.valid(x) : Checked.mismatch(allowed(), "");
    }

    @Override
    public String toString() {
        return allowed();
    }
}
