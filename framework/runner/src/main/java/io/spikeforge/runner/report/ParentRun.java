package io.spikeforge.runner.report;

import io.spikeforge.runner.sweep.SweepFolder;
import io.spikeforge.runner.sweep.SweepTracking;
import io.spikeforge.tracking.RunIdsFile;
import io.spikeforge.tracking.RunTrackers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The sweep's MLflow parent run, and logging a report to it: the report's files as artifacts
 * (under {@value #ARTIFACT_DIR}/) and its key numbers ({@link SweepReport#keyMetrics()}) as metrics.
 */
public final class ParentRun {
    /** The folder of the parent run's artifacts that holds the report. */
    public static final String ARTIFACT_DIR = "report";

    private ParentRun() {
    }

    /** Finds the parent run of a sweep. */
    @FunctionalInterface
    public interface Lookup {
        /**
         * The parent run of the sweep, if it has one.
         *
         * @throws IOException when the record of it cannot be read
         */
        Optional<RunIdsFile.Entry> find(SweepFolder sweep) throws IOException;
    }

    /** The parent run the sweep folder lists ({@link SweepTracking#parentRun}). */
    public static Lookup listedInSweepFolder() {
        return SweepTracking::parentRun;
    }

    /**
     * Logs the report's files and key metrics to the parent run, in its store (a spooled run's next
     * sync sends them to the server).
     *
     * @param files the report's files by name, as {@link SweepReport#write()} returns them
     * @throws IOException when the run is not in its store, is open in a running process, or
     *     cannot be written
     */
    public static void log(RunIdsFile.Entry parent, Map<String, Path> files, Map<String, Double> metrics)
            throws IOException {
        Map<String, Path> artifacts = new java.util.LinkedHashMap<>();
        files.forEach((name, path) -> artifacts.put(ARTIFACT_DIR + "/" + name, path));
        RunTrackers.addToRun(parent, artifacts, metrics);
    }
}
