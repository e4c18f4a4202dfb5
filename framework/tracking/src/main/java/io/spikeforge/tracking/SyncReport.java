package io.spikeforge.tracking;

import java.util.List;
import java.util.Optional;

/**
 * What a sync sent to a tracking server.
 *
 * @param server the server
 * @param runs one entry per spooled run, parents before their children
 * @param unreachable why the server could not be reached, when it could not: the runs after the
 *     failure were not tried
 */
public record SyncReport(String server, List<RunSync> runs, Optional<String> unreachable) {
    public SyncReport {
        runs = List.copyOf(runs);
    }

    /** Whether the server now has every record of every run, with no conflicts. */
    public boolean complete() {
        return outcome() == TrackingOutcome.DELIVERED;
    }

    /** The most serious outcome of the runs. */
    public TrackingOutcome outcome() {
        TrackingOutcome outcome = unreachable.isPresent() ? TrackingOutcome.UNREACHABLE : TrackingOutcome.DELIVERED;
        for (RunSync run : runs) {
            outcome = outcome.and(run.outcome());
        }
        return outcome;
    }

    /** Whether this sync sent nothing at all. */
    public boolean sentNothing() {
        return runs.stream().allMatch(RunSync::sentNothing);
    }

    /** Where a spooled run stands after the sync. */
    public enum State {
        /** The server has every record, artifacts included, and the end status. */
        COMPLETE,
        /**
         * The server has every record, but the run has no end status: its process still runs it,
         * or stopped without ending it (killed).
         */
        NO_END_STATUS,
        /**
         * The server has every record and the end status (when the run has one), but not the
         * artifact files of {@link RunSync#artifactsNotSent()}: it does not take them (see
         * {@link RunSync#problem()}). They wait in the spool.
         */
        ARTIFACTS_NOT_SENT,
        /** The run is open in a running process; sync it after that process ends. */
        IN_USE,
        /** A run it refers to (its parent, or the run it resumes) is not on the server yet. */
        WAITING_FOR_PARENT,
        /** The run was sent to another tracking server before, and not to this one. */
        OTHER_SERVER,
        /** The server refused a request (see {@link RunSync#problem()}); the rest was not sent. */
        REFUSED,
        /** The server became unreachable before or while sending this run. */
        NOT_REACHED
    }

    /**
     * One spooled run.
     *
     * @param spoolRunId the run's id in the spool
     * @param runName its name
     * @param serverRunId its id on the server, once it has one
     * @param state where it stands
     * @param runCreated whether this sync created the run on the server
     * @param params params sent
     * @param tags tags sent
     * @param metricPoints metric points sent
     * @param artifacts artifact files uploaded
     * @param artifactsNotSent artifact files that wait in the spool because the server does not take them
     * @param status the end status sent, if it was sent now
     * @param paramsAlreadyThere params the server had already, with the same value
     * @param metricPointsAlreadyThere metric points the server had already (sent before a failure
     *     hid the server's answer)
     * @param conflicts params the server has with another value, as {@code key: server value ≠ spool value}
     * @param problem what went wrong, for the states that are not complete
     */
    public record RunSync(String spoolRunId, String runName, Optional<String> serverRunId, State state,
                          boolean runCreated, int params, int tags, int metricPoints, int artifacts,
                          int artifactsNotSent, Optional<RunStatus> status, int paramsAlreadyThere,
                          int metricPointsAlreadyThere, List<String> conflicts, Optional<String> problem) {
        public RunSync {
            conflicts = List.copyOf(conflicts);
        }

        /** Where the run stands, as an outcome: a conflict is a refusal. */
        public TrackingOutcome outcome() {
            TrackingOutcome outcome = switch (state) {
                case COMPLETE, NO_END_STATUS -> TrackingOutcome.DELIVERED;
                case ARTIFACTS_NOT_SENT -> TrackingOutcome.ARTIFACTS_NOT_SENT;
                // a child waits for its parent, whose own state says why
                case IN_USE, WAITING_FOR_PARENT -> TrackingOutcome.IN_PROGRESS;
                case OTHER_SERVER -> TrackingOutcome.OTHER_SERVER;
                case REFUSED -> TrackingOutcome.REFUSED;
                case NOT_REACHED -> TrackingOutcome.UNREACHABLE;
            };
            return conflicts.isEmpty() ? outcome : outcome.and(TrackingOutcome.REFUSED);
        }

        public boolean sentNothing() {
            return !runCreated && params == 0 && tags == 0 && metricPoints == 0 && artifacts == 0
                    && status.isEmpty();
        }
    }
}
