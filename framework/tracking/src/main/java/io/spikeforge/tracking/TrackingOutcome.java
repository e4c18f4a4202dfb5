package io.spikeforge.tracking;

/**
 * Where the records of runs stand after {@code spikeforge mlflow sync} or at the end of a run.
 * Constants are in order of seriousness: when several apply, the most serious is the outcome
 * ({@link #and}). Each has its own exit code in the CLI.
 */
public enum TrackingOutcome {
    /** Every record is where it belongs (or there was nothing to send). */
    DELIVERED,
    /** Runs open in a running Spikeforge process were left to it; it sends them itself. */
    IN_PROGRESS,
    /**
     * Every record and end status is on the server, but artifact files are not: the server does
     * not take them (the run's artifact location is not behind its proxy, or it runs with
     * {@code --no-serve-artifacts}). They wait in the spool.
     */
    ARTIFACTS_NOT_SENT,
    /**
     * Runs were sent to another tracking server before and were not sent to this one; a sync with
     * {@code --another-server} sends them here too.
     */
    OTHER_SERVER,
    /** The server refused records (a param it has with another value, missing credentials); they wait in the spool. */
    REFUSED,
    /** The server could not be reached, or did not answer in time; the records wait in the spool. */
    UNREACHABLE,
    /** Records could not be written to the local store or spool (a full disk): the MLflow run lacks them. */
    STORE_INCOMPLETE;

    /** The more serious of the two. */
    public TrackingOutcome and(TrackingOutcome other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
