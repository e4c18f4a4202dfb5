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
