package io.spikeforge.api.config;

/**
 * What a configuration value may be: the phrase that says so, and the check that converts a value
 * as YAML read it. Implementations are immutable.
 *
 * @see IntegerType
 * @see NumberType
 * @see BooleanType
 * @see StringType
 * @see ChoiceType
 */
public interface ValueType {
    /** What is allowed, as a phrase for messages and docs: "an integer in [1, 64]", "one of hard, soft". */
    String allowed();

    /**
     * Checks a value and converts it to its resolved form (Long, Double, Boolean, String, a choice's
     * value, or what the type documents).
     *
     * @param value the value as YAML read it: Boolean, Integer, Long, BigInteger, Double, String, a
     *     List or a Map; never null (callers decide what an explicit null means)
     */
    Checked check(Object value);
}
