package io.spikeforge.tracking;

import java.util.Map;
import java.util.Optional;

/**
 * Starts MLflow runs. One tracker serves a whole process (a sweep's parent and child runs share
 * it); {@link #finish()} ends the runs still open as {@link RunStatus#INTERRUPTED} (MLflow's
 * {@code KILLED}), writes what is buffered, gives the sender a bounded time (the delivery timeout)
 * to send it and reports what is not on the server; {@link #close()} does the same and logs the
 * report, so registering {@code tracker::close} as a shutdown hook records Ctrl-C.
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
    default TrackedRun startRun(String experimentName, String runName, Optional<String> parentRunId) {
        return startRun(experimentName, runName, parentRunId, Map.of());
    }

    /**
     * Starts a run with tags, as {@link #startRun(String, String, Optional)}. With the tag
     * {@value RunTags#RUN_FOLDER}, the run is listed in that folder's {@value RunIdsFile#FILE_NAME}
     * ({@link RunIdsFile}), and so is its server copy once the server has one.
     *
     * @throws IllegalArgumentException if MLflow would refuse the experiment name or a tag
     */
    TrackedRun startRun(String experimentName, String runName, Optional<String> parentRunId,
                        Map<String, String> tags);

    /**
     * The id by which a run of this tracker's store may refer to an earlier run (tag
     * {@value RunTags#RESUMED_FROM}): its id in this store (a sync gives the server the id of the
     * server's copy), or the id of its copy on this tracker's server; empty when the run went
     * elsewhere.
     */
    Optional<String> referenceTo(RunIdsFile.Entry earlier);

    /**
     * Leaves {@code run} RUNNING past {@link #finish()}: what it buffered is written now, and the
     * tracker no longer ends it. For a run that another process ends later, such as the parent run
     * of a sweep whose arms run on a cluster ({@link RunTrackers#setRecordedRunStatus}).
     */
    default void leaveRunning(TrackedRun run) {
    }

    /** Where runs go, in words for a log line: the local store, or the server and its spool. */
    String destination();

    /**
     * Ends the tracker: open runs end as INTERRUPTED (MLflow's KILLED), the last records are sent
     * within the delivery timeout, and the report says what did not reach the server and how to
     * send it. Later calls return the same report.
     */
    TrackingReport finish();

    /** {@link #finish()}, logging the report's problems unless {@link #finish()} was called to take them. */
    @Override
    void close();
}
