package io.spikeforge.runner.tracking;

import java.util.Optional;

/**
 * Starts MLflow runs. One tracker serves a whole process (a sweep's parent and child runs share
 * it); {@link #finish()} ends the runs still open as {@link RunStatus#KILLED}, writes what is
 * buffered, gives the sender a bounded time (the delivery timeout) to send it and reports what is
 * not on the server; {@link #close()} does the same and logs the report, so registering
 * {@code tracker::close} as a shutdown hook records Ctrl-C.
 */
public interface RunTracker extends AutoCloseable {
    /**
     * Starts a run in the named experiment, creating the experiment when there is none of that
     * name.
     *
     * @param experimentName the MLflow experiment's name
     * @param runName the run's name as the MLflow UI shows it
     * @param parentRunId the {@link TrackedRun#runId()} of the parent run of a sweep, if any
     * @throws IllegalArgumentException if MLflow would refuse the experiment name
     * @throws java.io.UncheckedIOException if the local store or spool cannot be written
     */
    TrackedRun startRun(String experimentName, String runName, Optional<String> parentRunId);

    /** Where runs go, in words for a log line: the local store, or the server and its spool. */
    String destination();

    /**
     * Ends the tracker: open runs end as KILLED, the last records are sent within the delivery
     * timeout, and the report says what did not reach the server and how to send it. Later calls
     * return the same report.
     */
    TrackingReport finish();

    /** {@link #finish()}, logging the report's problems unless {@link #finish()} was called to take them. */
    @Override
    void close();
}
