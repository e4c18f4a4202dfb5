package io.spikeforge.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The value types experiment keys and component parameters share: phrases, conversions and messages. */
class ValueTypesTest {
    private static String refused(ValueType type, Object value) {
        Checked checked = type.check(value);
        assertFalse(checked.ok(), type + " allowed " + value);
        return checked.message(ValueText.describe(value));
    }

    @Test
    void integersResolveToLongWithinTheirBoundsAndTheirJavaType() {
        IntegerType epochs = IntegerType.ofInt().optMin(1, true);
        assertEquals("an integer >= 1", epochs.allowed());
        assertEquals(7L, epochs.check(7).value());
        assertEquals("expected an integer >= 1, got the integer 0", refused(epochs, 0));
        assertEquals("expected an integer >= 1, got the number 2.5", refused(epochs, 2.5));
        assertEquals("expected an integer >= 1 and at most 2147483647, got the integer 3000000000",
                refused(epochs, 3_000_000_000L));
        assertEquals("expected an integer >= 1 and at most 9223372036854775807, got the integer 99999999999999999999",
                refused(IntegerType.ofLong().optMin(1, true), new BigInteger("99999999999999999999")));
        IntegerType steps = IntegerType.ofInt().optRange(1, 64);
        assertEquals("expected an integer in [1, 64], got the integer 3000000000", refused(steps, 3_000_000_000L),
                "a stated bound that refuses the value is enough");
        assertEquals("expected an integer > 0, got the integer 0", refused(IntegerType.ofLong().optMin(0, false), 0));
        assertEquals("expected an integer and at least -2147483648, got the integer -3000000000",
                refused(IntegerType.ofInt(), -3_000_000_000L));
    }

    @Test
    void numbersAreFiniteRealsWithinTheirBounds() {
        NumberType momentum = NumberType.any().optMin(0, true).optMax(1, false);
        assertEquals("a number in [0, 1)", momentum.allowed());
        assertEquals(1.0 / 2, momentum.check(0.5).value());
        assertEquals(0.0, momentum.check(0).value(), "whole numbers are numbers");
        assertEquals("expected a number in [0, 1), got the number 1", refused(momentum, 1.0));
        assertEquals("expected a finite number in [0, 1), got .nan", refused(momentum, Double.NaN));
        assertEquals("expected a number in [0, 1), got the string 'half'", refused(momentum, "half"));
        NumberType threshold = NumberType.any().optMin(0, false).optInfinite();
        assertEquals(Double.POSITIVE_INFINITY, threshold.check(Double.POSITIVE_INFINITY).value());
        assertEquals("expected a number > 0 (.inf and -.inf included), got the number -.inf",
                refused(threshold, Double.NEGATIVE_INFINITY));
    }

    @Test
    void textIsRefusedWithTheAdviceToQuoteWhatYamlReadAsSomethingElse() {
        StringType name = StringType.matching("[a-z]+", "a lower-case name");
        assertEquals("run", name.check("run").value());
        assertEquals("expected a lower-case name, got the string 'Run'", refused(name, "Run"));
        assertEquals("expected a string, got the integer 2024 (put it in quotes to use it as text)",
                refused(StringType.any(), 2024));
        assertEquals("expected a string, got a list", refused(StringType.any(), List.of()));
        assertEquals("expected a boolean (true or false), got the string 'yes'", refused(BooleanType.of(), "yes"));
    }

    private enum Reset implements YamlChoice {
        HARD, SOFT;

        @Override
        public String yamlName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Test
    void choicesResolveToTheirWordOrToTheValueTheWordNames() {
        assertEquals("soft", ChoiceType.ofWords("hard", "soft").check("soft").value());
        assertEquals(Reset.SOFT, ChoiceType.of(Reset.values()).check("soft").value());
        assertEquals("soft", ChoiceType.wordOf(Reset.SOFT));
        assertEquals("expected one of hard, soft, got the string 'sotf'; did you mean 'soft'?",
                refused(ChoiceType.of(Reset.values()), "sotf"));
        assertEquals("expected one of hard, soft, got a mapping", refused(ChoiceType.of(Reset.values()), Map.of()));
        assertThrows(IllegalArgumentException.class, ChoiceType::ofWords);
    }

    @Test
    void aRefusedValueHasNoValueAndAnAllowedOneNoMessage() {
        assertThrows(IllegalStateException.class, () -> BooleanType.of().check("no").value());
        assertThrows(IllegalStateException.class, () -> BooleanType.of().check(true).message("the boolean true"));
    }
}
