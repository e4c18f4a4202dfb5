package io.spikeforge.tracking;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * One MLflow run being recorded. Calls return after writing to local disk and never wait for a
 * tracking server, so the training thread may call them; they may also be called from several
 * threads. Keys follow MLflow's rules (letters, digits, {@code _ - . / } and spaces, at most 250
 * characters): a key or value MLflow would refuse is refused here with an
 * {@link IllegalArgumentException}. Local disk failures surface as
 * {@link java.io.UncheckedIOException}.
 *
 * <p>End a run with {@link #end}: {@code FINISHED} after training, {@code FAILED} with the error
 * when it throws. {@link #close()} on a run that was not ended records it as {@code FAILED}.
 */
public interface TrackedRun extends AutoCloseable {
    /** The run's id: 32 hexadecimal characters, the folder name in the local store or spool. */
    String runId();

    /**
     * Records params. A param cannot change: logging a key again with the same value does nothing,
     * with another value throws {@link IllegalArgumentException} (MLflow refuses it too).
     */
    void logParams(Map<String, String> params);

    /** Records one metric point, timestamped now; points are buffered and written in batches. */
    void logMetric(String key, double value, long step);

    /** Records metric points of one step, timestamped now. */
    default void logMetrics(Map<String, Double> values, long step) {
        values.forEach((key, value) -> logMetric(key, value, step));
    }

    /** Sets tags; setting a tag again replaces its value. */
    void setTags(Map<String, String> tags);

    /**
     * Copies a file (or a folder with its contents) into the run's artifacts, under
     * {@code artifactDir} ({@code ""} for the top).
     */
    void logArtifact(Path file, String artifactDir);

    /** Writes buffered metric points to disk and asks the sender (if any) to send what is new. */
    void flush();

    /**
     * Ends the run with {@code status}; with an error, its stack trace goes to the
     * {@value RunTags#ERROR} tag and its message to the run's description when it has none.
     * Only the first call counts; later ones do nothing.
     *
     * @throws IllegalArgumentException if {@code status} is {@link RunStatus#RUNNING}
     */
    void end(RunStatus status, Optional<Throwable> error);

    /** Ends the run as {@link RunStatus#FAILED} unless it was ended already. */
    @Override
    void close();
}
