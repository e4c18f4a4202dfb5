package io.spikeforge.api.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.config.ValueText;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParameterSchemaTest {
    private final ParameterSchema schema = ParameterSchema.of(
            ParameterSpec.number("decay").optDefault(0.25).optRange(0, 1).optDescription("leak").build(),
            ParameterSpec.number("tau").optional().optMin(1, false).build(),
            ParameterSpec.integer("steps").optDefault(4).optRange(1, 64).build(),
            ParameterSpec.bool("detach_reset").optDefault(true).build(),
            ParameterSpec.choice("reset", "hard", "soft").optDefault("hard").build(),
            ParameterSpec.string("note").optDefault("").build());

    @Test
    void defaultsFillInAndGivenValuesAreConverted() {
        ResolvedParameters p = schema.resolve(Map.of("decay", 1, "steps", 6, "reset", "soft"));
        assertEquals(1.0, p.getDouble("decay"));
        assertEquals(6, p.getInt("steps"));
        assertEquals("soft", p.getString("reset"));
        assertTrue(p.getBoolean("detach_reset"));
        assertFalse(p.isSet("tau"));
        assertEquals(List.of("decay", "tau", "steps", "detach_reset", "reset", "note"), List.copyOf(p.asMap().keySet()));
    }

    @Test
    void everyProblemIsReportedWithItsKey() {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("decy", 0.5);
        raw.put("steps", 2.5);
        raw.put("tau", 1.0);
        raw.put("reset", "sotf");
        raw.put("detach_reset", "yes");
        InvalidParametersException e = assertThrows(InvalidParametersException.class, () -> schema.resolve(raw));
        Map<String, String> byKey = new LinkedHashMap<>();
        e.problems().forEach(p -> byKey.put(p.key(), p.message()));
        assertEquals(List.of("decy", "tau", "steps", "detach_reset", "reset"), List.copyOf(byKey.keySet()));
        assertTrue(byKey.get("decy").contains("did you mean 'decay'?"), byKey.get("decy"));
        assertTrue(byKey.get("decy").contains("Allowed: decay, tau, steps, detach_reset, reset, note"));
        assertEquals("expected an integer in [1, 64], got the number 2.5", byKey.get("steps"));
        assertEquals("expected a number > 1, got the number 1", byKey.get("tau"));
        assertEquals("expected one of hard, soft, got the string 'sotf'; did you mean 'soft'?", byKey.get("reset"));
        assertEquals("expected a boolean (true or false), got the string 'yes'", byKey.get("detach_reset"));
    }

    @Test
    void anUnknownKeyWithoutAPlausibleSuggestionStillListsTheAllowedOnes() {
        InvalidParametersException e = assertThrows(InvalidParametersException.class,
                () -> schema.resolve(Map.of("gain", 2.0)));
        assertEquals("gain: unknown parameter. Allowed: decay, tau, steps, detach_reset, reset, note", e.getMessage());
    }

    @Test
    void requiredParametersMustBeGiven() {
        ParameterSchema required = ParameterSchema.of(ParameterSpec.number("threshold").optMin(0, false).build());
        InvalidParametersException e = assertThrows(InvalidParametersException.class, () -> required.resolve(Map.of()));
        assertEquals("threshold: is required: expected a number > 0", e.getMessage());
    }

    @Test
    void anExplicitNullLeavesAnOptionalParameterUnsetButIsAnErrorForOthers() {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("tau", null);
        assertNull(schema.resolve(raw).asMap().get("tau"));
        raw.put("decay", null);
        InvalidParametersException e = assertThrows(InvalidParametersException.class, () -> schema.resolve(raw));
        assertEquals("decay", e.problems().get(0).key());
    }

    @Test
    void aComponentWithoutParametersSaysSo() {
        InvalidParametersException e = assertThrows(InvalidParametersException.class,
                () -> ParameterSchema.empty().resolve(Map.of("x", 1)));
        assertTrue(e.getMessage().contains("takes no parameters"));
    }

    @Test
    void pluginBugsInDeclarationsFailFast() {
        assertThrows(IllegalArgumentException.class,
                () -> ParameterSpec.number("decay").optDefault(2.0).optRange(0, 1).build());
        assertThrows(IllegalArgumentException.class, () -> ParameterSpec.number("Decay"));
        for (String reserved : List.of("id", "plugin", "plugin_version")) {
            assertThrows(IllegalArgumentException.class, () -> ParameterSpec.string(reserved), reserved);
        }
        assertThrows(IllegalStateException.class, () -> ParameterSpec.bool("flag").optRange(0, 1));
        ParameterSpec a = ParameterSpec.number("a").build();
        assertThrows(IllegalArgumentException.class, () -> ParameterSchema.of(a, a));
    }

    @Test
    void numbersAreFiniteUnlessTheParameterSaysOtherwise() {
        ParameterSchema temperature = ParameterSchema.of(ParameterSpec.number("temperature").optDefault(4.0)
                .optMin(0, false).build(), ParameterSpec.number("shift").optDefault(0.0).build());
        for (double notFinite : new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN}) {
            InvalidParametersException e = assertThrows(InvalidParametersException.class,
                    () -> temperature.resolve(Map.of("temperature", notFinite, "shift", notFinite)));
            String written = notFinite > 0 ? ".inf" : notFinite < 0 ? "-.inf" : ".nan";
            assertEquals(List.of(new ParameterProblem("temperature", "expected a finite number > 0, got " + written),
                    new ParameterProblem("shift", "expected a finite number, got " + written)), e.problems());
        }

        ParameterSpec threshold = ParameterSpec.number("threshold").optDefault(1.0).optMin(0, false).optInfinite()
                .build();
        assertEquals(Double.POSITIVE_INFINITY, threshold.check(Double.POSITIVE_INFINITY).value());
        assertEquals("expected a number > 0 (.inf and -.inf included), got the number -.inf",
                threshold.check(Double.NEGATIVE_INFINITY).message(ValueText.describe(Double.NEGATIVE_INFINITY)));
        assertEquals("expected a finite number > 0, got .nan", threshold.check(Double.NaN).message("the number .nan"));
        assertThrows(IllegalArgumentException.class,
                () -> ParameterSpec.number("bad_default").optDefault(Double.POSITIVE_INFINITY).build());
        assertThrows(IllegalStateException.class, () -> ParameterSpec.integer("steps").optInfinite());
    }

    @Test
    void readingAnUndeclaredOrUnsetParameterIsAProgrammingError() {
        ResolvedParameters p = schema.defaults();
        assertThrows(IllegalArgumentException.class, () -> p.getDouble("decy"));
        assertThrows(IllegalStateException.class, () -> p.getDouble("tau"));
    }
}
