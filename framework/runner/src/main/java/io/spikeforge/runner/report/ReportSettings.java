package io.spikeforge.runner.report;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What a sweep's report shows: the command line's options, or a study file's {@code report:} section.
 *
 * @param model the model whose numbers are reported, such as {@code teacher}; empty for each run's
 *     main model ({@link io.spikeforge.runner.pipeline.RecordedRun#mainModel()}: the student of a
 *     distill run, the model of a train run, the converted network of a convert run)
 * @param groupBySeeds whether arms whose overrides differ only in the seed form one row (mean,
 *     standard deviation, n); otherwise one row per arm
 * @param targetAccuracy a test accuracy in percent: the report gives the first epoch that reaches it
 * @param convergenceBaseline the row (an arm's name, or a group's when grouped by seeds) whose final
 *     test accuracy the other rows are timed against: the first epoch that reaches it, and the
 *     ratio of that epoch to the baseline's own
 */
public record ReportSettings(Optional<String> model, boolean groupBySeeds, OptionalDouble targetAccuracy,
                             Optional<String> convergenceBaseline) {
    public ReportSettings {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(targetAccuracy, "targetAccuracy");
        Objects.requireNonNull(convergenceBaseline, "convergenceBaseline");
        if (targetAccuracy.isPresent()
                && !(targetAccuracy.getAsDouble() > 0 && targetAccuracy.getAsDouble() <= 100)) {
            throw new IllegalArgumentException("a target accuracy is a percentage in (0, 100], got "
                    + targetAccuracy.getAsDouble());
        }
    }

    /** The keys of a study's {@code report:} section. */
    public static final java.util.List<String> SECTION_KEYS = java.util.List.of("model", "group_by_seed",
            "target_accuracy", "convergence");

    /**
     * The settings of a study's {@code report:} section (as {@code sweep.yaml} records it): keys
     * {@code model} (a name), {@code group_by_seed} (true or false), {@code target_accuracy} (a
     * percentage) and {@code convergence} (the baseline row); an absent key keeps the default.
     *
     * @throws IllegalArgumentException naming the first bad key as {@code report.<key>} and what
     *     was expected
     */
    public static ReportSettings fromSection(java.util.Map<String, Object> section) {
        ReportSettings settings = defaults();
        for (java.util.Map.Entry<String, Object> entry : section.entrySet()) {
            String key = entry.getKey();
            Object value = entry.getValue();
            switch (key) {
                case "model" -> settings = settings.withModel(text(key, value));
                case "convergence" -> settings = settings.withConvergenceBaseline(text(key, value));
                case "group_by_seed" -> {
                    if (!(value instanceof Boolean group)) {
                        throw new IllegalArgumentException("report.group_by_seed: expected true or false, got '"
                                + value + "'");
                    }
                    settings = settings.withGroupBySeeds(group);
                }
                case "target_accuracy" -> {
                    if (!(value instanceof Number number)) {
                        throw new IllegalArgumentException("report.target_accuracy: expected a test accuracy in "
                                + "percent, such as 90, got '" + value + "'");
                    }
                    try {
                        settings = settings.withTargetAccuracy(number.doubleValue());
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("report.target_accuracy: " + e.getMessage());
                    }
                }
                default -> throw new IllegalArgumentException("report." + key + ": unknown report key; expected one "
                        + "of: " + String.join(", ", SECTION_KEYS));
            }
        }
        return settings;
    }

    private static String text(String key, Object value) {
        if (!(value instanceof String text) || text.isBlank()) {
            throw new IllegalArgumentException("report." + key + ": expected a name, got '" + value + "'");
        }
        return text;
    }

    /** Each run's main model, grouped by seeds, no target, no convergence baseline. */
    public static ReportSettings defaults() {
        return new ReportSettings(Optional.empty(), true, OptionalDouble.empty(), Optional.empty());
    }

    public ReportSettings withModel(String name) {
        return new ReportSettings(Optional.of(name), groupBySeeds, targetAccuracy, convergenceBaseline);
    }

    public ReportSettings withGroupBySeeds(boolean group) {
        return new ReportSettings(model, group, targetAccuracy, convergenceBaseline);
    }

    public ReportSettings withTargetAccuracy(double percent) {
        return new ReportSettings(model, groupBySeeds, OptionalDouble.of(percent), convergenceBaseline);
    }

    public ReportSettings withConvergenceBaseline(String row) {
        return new ReportSettings(model, groupBySeeds, targetAccuracy, Optional.of(row));
    }
}
