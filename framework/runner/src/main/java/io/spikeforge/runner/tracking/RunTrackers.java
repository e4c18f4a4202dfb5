package io.spikeforge.runner.tracking;

import java.nio.file.Path;
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

    /** A tracker that records nothing: for {@code tracking.enabled: false}. */
    public static RunTracker disabled() {
        return new RunTracker() {
            @Override
            public TrackedRun startRun(String experimentName, String runName, Optional<String> parentRunId) {
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
