package io.spikeforge.api.config;

import java.math.BigInteger;

/**
 * A whole number within optional bounds, resolved to a {@code Long}. Besides the bounds it states,
 * a value must fit the Java type its reader uses ({@link #ofInt()} or {@link #ofLong()}); that
 * limit shows in a message only when a value exceeds it.
 */
public final class IntegerType implements ValueType {
    private final Range range;
    private final long largest;

    private IntegerType(Range range, long largest) {
        this.range = range;
        this.largest = largest;
    }

    /** Any {@code long}. */
    public static IntegerType ofLong() {
        return new IntegerType(Range.NONE, Long.MAX_VALUE);
    }

    /** Any {@code int} (at most 2147483647). */
    public static IntegerType ofInt() {
        return new IntegerType(Range.NONE, Integer.MAX_VALUE);
    }

    /** An integer of the same Java type with a lower bound. */
    public IntegerType optMin(double min, boolean inclusive) {
        return new IntegerType(range.withMin(min, inclusive), largest);
    }

    /** An integer of the same Java type with an upper bound. */
    public IntegerType optMax(double max, boolean inclusive) {
        return new IntegerType(range.withMax(max, inclusive), largest);
    }

    /** An integer of the same Java type in {@code [min, max]}. */
    public IntegerType optRange(double min, double max) {
        return optMin(min, true).optMax(max, true);
    }

    /** The bounds as a phrase: "in [1, 64]", ">= 1", or nothing. */
    public String rangePhrase() {
        return range.phrase();
    }

    @Override
    public String allowed() {
        return "an integer" + range.suffix();
    }

    @Override
    public Checked check(Object value) {
        if (!ValueText.isInteger(value)) {
            return Checked.mismatch(allowed(), "");
        }
        BigInteger big = value instanceof BigInteger b ? b : BigInteger.valueOf(((Number) value).longValue());
        long smallest = largest == Long.MAX_VALUE ? Long.MIN_VALUE : -largest - 1;
        boolean tooLarge = big.compareTo(BigInteger.valueOf(largest)) > 0;
        boolean tooSmall = big.compareTo(BigInteger.valueOf(smallest)) < 0;
        if (tooLarge || tooSmall) {
            // Say the Java limit only when the stated bounds do not already refuse the value.
            boolean stated = tooLarge ? range.max() != null && range.max() <= largest
                    : range.min() != null && range.min() >= smallest;
            return stated ? Checked.mismatch(allowed(), "") : Checked.problem("expected " + allowed()
                    + (tooLarge ? " and at most " + largest : " and at least " + smallest) + ", got the integer "
                    + value);
        }
        long number = big.longValue();
        return range.contains(number) ? Checked.valid(number) : Checked.mismatch(allowed(), "");
    }

    @Override
    public String toString() {
        return allowed();
    }
}
