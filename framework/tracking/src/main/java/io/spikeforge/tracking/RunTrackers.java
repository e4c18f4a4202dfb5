package io.spikeforge.tracking;

import io.spikeforge.common.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Opens the {@link RunTracker} that {@link TrackingOptions} describe. */
public final class RunTrackers {
    private RunTrackers() {
    }

    /**
     * A tracker for the options: writing to the local store without a server; with one, writing to
     * the spool and sending from there; recording nothing when tracking is disabled. Opening never
     * contacts the server, so a server that is down delays nothing.
     */
    public static RunTracker open(TrackingOptions options) {
        if (!options.enabled()) {
            return disabled();
        }
        if (options.server().isEmpty()) {
            FileStore store = new FileStore(options.localStore(), options.clock(), options.ids());
            return new StoreRunTracker(store, options.user(), options.clock(), options.flushInterval(),
                    options.deliveryTimeout(), Optional.empty(), "MLflow file store " + store.root());
        }
        ServerConnection server = options.server().get();
        FileStore spool = new FileStore(options.spool(), options.clock(), options.ids());
        LiveReplication replication = new LiveReplication(new MlflowRestClient(server), spool, options.clock(),
                options.retryInterval());
        return new StoreRunTracker(spool, options.user(), options.clock(), options.flushInterval(),
                options.deliveryTimeout(), Optional.of(replication),
                "MLflow server " + server.name() + " (spool " + spool.root() + ")");
    }

    /**
     * Copies files into a recorded MLflow run as artifacts: those it lacks, or holds with another
     * size. For artifacts that could not be stored when the run ended (a full disk); a spooled
     * run's next sync sends them to the server.
     *
     * @param run the run, as a run folder's {@value RunIdsFile#FILE_NAME} lists it
     * @param files the files by their path among the run's artifacts ({@code checkpoints/x.safetensors})
     * @return the artifact paths added, in the order given
     * @throws IOException if the run is not in its store, is open in a running Spikeforge process,
     *     or cannot be written
     */
    public static List<String> addArtifacts(RunIdsFile.Entry run, Map<String, Path> files) throws IOException {
        List<String> added = new ArrayList<>();
        withRecordedRun(run, folder -> {
            for (Map.Entry<String, Path> file : files.entrySet()) {
                Path target = folder.artifactsDir().resolve(file.getKey());
                if (Files.isRegularFile(target) && Files.size(target) == Files.size(file.getValue())) {
                    continue;
                }
                AtomicFiles.copy(file.getValue(), target, folder.dir());
                added.add(file.getKey());
            }
        });
        return added;
    }

    /**
     * Adds to a recorded MLflow run that has ended, such as a sweep's parent run: copies files
     * as artifacts, replacing those of the same path (each appears whole), and logs metrics at
     * step 0 with the current time (MLflow shows a metric's latest value). A spooled run's next
     * sync sends them to the server.
     *
     * @param artifacts the files by their path among the run's artifacts
     * @param metrics the metrics by key, each checked against MLflow's rules for keys
     * @throws IOException if the run is not in its store, is open in a running Spikeforge process,
     *     or cannot be written
     * @throws IllegalArgumentException if MLflow would refuse a metric key
     */
    public static void addToRun(RunIdsFile.Entry run, Map<String, Path> artifacts, Map<String, Double> metrics)
            throws IOException {
        metrics.keySet().forEach(key -> MlflowNames.checkKey("metric", key));
        long now = Clock.systemUTC().millis();
        withRecordedRun(run, folder -> {
            for (Map.Entry<String, Path> file : artifacts.entrySet()) {
                AtomicFiles.copy(file.getValue(), folder.artifactsDir().resolve(file.getKey()), folder.dir());
            }
            List<MetricPoint> points = new ArrayList<>();
            metrics.forEach((key, value) -> points.add(new MetricPoint(key, value, now, 0)));
            folder.appendMetrics(points);
        });
    }

    /**
     * Sets the status of a recorded run in its store: {@link RunStatus#RUNNING} reopens an ended
     * run (its end time cleared), another status ends it now. For runs that outlive the process that
     * started them ({@link RunTracker#leaveRunning}); a spooled run's next sync sends the change.
     *
     * @return the status the run had before
     * @throws IOException if the run is not in its store, is open in a running Spikeforge process,
     *     or cannot be written
     */
    public static RunStatus setRecordedRunStatus(RunIdsFile.Entry run, RunStatus status) throws IOException {
        RunStatus[] before = new RunStatus[1];
        withRecordedRun(run, folder -> {
            RunMeta meta = folder.meta();
            before[0] = meta.status();
            if (meta.status() != status) {
                folder.writeMeta(status == RunStatus.RUNNING ? meta.reopened() : meta.ended(status,
                        Clock.systemUTC().millis()), false);
            }
        });
        return before[0];
    }

    /**
     * Sends a recorded run's records that its server lacks, now: for a spooled run changed after
     * the process that ran it ended ({@link #setRecordedRunStatus}, {@link #addToRun}). One try, with
     * the credentials and timeouts of the environment ({@link ServerConnection#of}); what does not
     * reach the server stays in the spool for {@code spikeforge mlflow sync}.
     *
     * @return what the sync did, to report its problems; empty for a run of a local store, which
     *     has no server
     * @throws IOException if the spool cannot be read
     */
    public static Optional<SyncReport> sendRecordedRun(RunIdsFile.Entry run, Map<String, String> environment)
            throws IOException {
        if (run.server().isEmpty() || run.store().isEmpty()) {
            return Optional.empty();
        }
        ServerConnection server = ServerConnection.of(java.net.URI.create(run.server().get()), environment)
                .withRetries(1, ServerConnection.DEFAULT_RETRY_BACKOFF);
        return Optional.of(SpoolSync.sync(run.store().get(), server, SpoolSync.Options.DEFAULT,
                run.runId()::equals));
    }

    /** Work on a recorded run's folder in its store, holding the run's lock. */
    private static void withRecordedRun(RunIdsFile.Entry run, RunFolderWork work) throws IOException {
        Path root = run.store().orElseThrow(() -> new IOException("the MLflow run " + run.runId()
                + " is listed without its store (by an older Spikeforge)"));
        FileStore store = new FileStore(root, Clock.systemUTC(), IdSource.random());
        MlflowRunFolder folder = store.run(run.runId()).orElseThrow(() -> new IOException("there is no MLflow run "
                + run.runId() + " in " + root));
        try (RunLock lock = RunLock.tryAcquire(folder.dir()).orElseThrow(() -> new IOException("MLflow run "
                + run.runId() + " is open in a running Spikeforge process"))) {
            work.run(folder);
        }
    }

    private interface RunFolderWork {
        void run(MlflowRunFolder folder) throws IOException;
    }

    /** A tracker that records nothing: for {@code tracking.enabled: false}. */
    public static RunTracker disabled() {
        return new RunTracker() {
            @Override
            public TrackedRun startRun(String experimentName, String runName, Optional<String> parentRunId,
                                       Map<String, String> tags) {
                return new TrackedRun() {
                    @Override
                    public String runId() {
                        return "";
                    }

                    @Override
                    public void logParams(Map<String, String> params) {
                    }

                    @Override
                    public void logMetric(String key, double value, long step) {
                    }

                    @Override
                    public void setTags(Map<String, String> tags) {
                    }

                    @Override
                    public void logArtifact(Path file, String artifactDir) {
                    }

                    @Override
                    public void flush() {
                    }

                    @Override
                    public void end(RunStatus status, Optional<Throwable> error) {
                    }

                    @Override
                    public void close() {
                    }
                };
            }

            @Override
            public Optional<String> referenceTo(RunIdsFile.Entry earlier) {
                return Optional.empty();
            }

            @Override
            public String destination() {
                return "nowhere (tracking is disabled)";
            }

            @Override
            public TrackingReport finish() {
                return TrackingReport.DELIVERED;
            }

            @Override
            public void close() {
            }
        };
    }
}
