package io.spikeforge.tracking;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What became of a run's records at its end: the {@link TrackingOutcome} and, unless they were
 * delivered, what is missing where and the command that sends or adds it later.
 *
 * @param outcome the most serious outcome
 * @param problems one message per problem, for the user; empty when delivered
 */
public record TrackingReport(TrackingOutcome outcome, List<String> problems) {
    /** Everything delivered. */
    public static final TrackingReport DELIVERED = new TrackingReport(TrackingOutcome.DELIVERED, List.of());

    public TrackingReport {
        Objects.requireNonNull(outcome, "outcome");
        problems = List.copyOf(problems);
    }

    /** Both reports in one: the more serious outcome, and the problems of both. */
    public TrackingReport and(TrackingReport other) {
        List<String> all = new ArrayList<>(problems);
        all.addAll(other.problems);
        return new TrackingReport(outcome.and(other.outcome), all);
    }
}
