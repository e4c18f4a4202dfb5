package io.spikeforge.runner.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** A study's {@code report:} section as report settings. */
class ReportSettingsTest {
    @Test
    void everyKeyOfTheSectionSetsItsSettingAndAbsentKeysKeepTheDefaults() {
        assertEquals(ReportSettings.defaults(), ReportSettings.fromSection(Map.of()));
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("model", "teacher");
        section.put("group_by_seed", false);
        section.put("target_accuracy", 69.8);
        section.put("convergence", "baseline");
        assertEquals(new ReportSettings(Optional.of("teacher"), false, OptionalDouble.of(69.8), Optional.of("baseline")),
                ReportSettings.fromSection(section));
        assertEquals(OptionalDouble.of(90), ReportSettings.fromSection(Map.of("target_accuracy", 90)).targetAccuracy());
    }

    @Test
    void aBadKeyOrValueIsNamedWithWhatWasExpected() {
        assertEquals("report.target_accuracy: a target accuracy is a percentage in (0, 100], got 0.0",
                message(Map.of("target_accuracy", 0)));
        assertEquals("report.target_accuracy: expected a test accuracy in percent, such as 90, got 'high'",
                message(Map.of("target_accuracy", "high")));
        assertEquals("report.group_by_seed: expected true or false, got 'yes please'",
                message(Map.of("group_by_seed", "yes please")));
        assertEquals("report.convergence: expected a name, got '3'", message(Map.of("convergence", 3)));
        assertEquals("report.target: unknown report key; expected one of: model, group_by_seed, target_accuracy, "
                + "convergence", message(Map.of("target", 90)));
    }

    private static String message(Map<String, Object> section) {
        return assertThrows(IllegalArgumentException.class, () -> ReportSettings.fromSection(section)).getMessage();
    }
}
