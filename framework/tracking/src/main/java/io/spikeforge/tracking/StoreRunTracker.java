package io.spikeforge.tracking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records runs in a {@link FileStore}, and, with a server, sends them there from a worker thread.
 * The worker also writes buffered metric points every {@code flushInterval}, so that a UI reading
 * the store, and the server, see a run progress.
 */
final class StoreRunTracker implements RunTracker {
    private static final Logger LOG = LoggerFactory.getLogger(StoreRunTracker.class);
    /** MLflow's run id rule (validation.py). */
    private static final Pattern RUN_ID = Pattern.compile("[a-zA-Z0-9][\\w\\-]{0,255}");
    /** How long an interrupted worker gets to stop: a request under way gives up at once. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);
    /** How long past the delivery deadline the last round may take to write what it confirmed. */
    private static final Duration DEADLINE_GRACE = Duration.ofMillis(500);

    private final FileStore store;
    private final String user;
    private final Clock clock;
    private final Optional<LiveReplication> replication;
    private final Duration deliveryTimeout;
    private final String destination;
    private final ScheduledExecutorService worker;
    private final List<StoreRun> openRuns = new CopyOnWriteArrayList<>();
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private boolean closed;
    private TrackingReport report;
    private boolean reportTaken;

    StoreRunTracker(FileStore store, String user, Clock clock, Duration flushInterval, Duration deliveryTimeout,
                    Optional<LiveReplication> replication, String destination) {
        this.store = store;
        this.user = user;
        this.clock = clock;
        this.replication = replication;
        this.deliveryTimeout = deliveryTimeout;
        this.destination = destination;
        this.worker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "spikeforge-tracking");
            thread.setDaemon(true);
            return thread;
        });
        long interval = Math.max(1, flushInterval.toMillis());
        worker.scheduleWithFixedDelay(this::work, interval, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized TrackedRun startRun(String experimentName, String runName, Optional<String> parentRunId,
                                            Map<String, String> extraTags) {
        if (closed) {
            throw new IllegalStateException("the tracker is closed");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(RunTags.USER, user);
        parentRunId.ifPresent(parent -> {
            if (!RUN_ID.matcher(parent).matches()) {
                throw new IllegalArgumentException("Invalid parent run ID: '" + parent + "'");
            }
            tags.put(RunTags.PARENT_RUN_ID, parent);
        });
        extraTags.forEach(MlflowNames::checkTag);
        tags.putAll(extraTags);
        MlflowNames.checkTag(RunTags.RUN_NAME, runName);
        try {
            MlflowRunFolder folder = store.createRun(store.experimentId(experimentName), runName, user, tags);
            if (tags.containsKey(RunTags.RUN_FOLDER)) {
                recordStart(Path.of(tags.get(RunTags.RUN_FOLDER)), folder.runId());
            }
            if (replication.isPresent()) {
                replication.get().track(folder);
            }
            StoreRun run = new StoreRun(folder, folder.meta(), clock, this::wake);
            openRuns.add(run);
            wake();
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a run in " + store.root(), e);
        }
    }

    private void recordStart(Path runFolder, String runId) {
        try {
            RunIdsFile.recordStart(runFolder, runId, store.root(), replication.map(LiveReplication::serverName));
        } catch (IOException e) {
            LOG.warn("Cannot list MLflow run {} in {}: {}", runId, runFolder.resolve(RunIdsFile.FILE_NAME),
                    e.toString());
        }
    }

    @Override
    public Optional<String> referenceTo(RunIdsFile.Entry earlier) {
        try {
            boolean inThisStore = earlier.store().map(s -> s.toAbsolutePath().normalize().equals(store.root()))
                    .orElse(true) && store.run(earlier.runId()).isPresent();
            if (inThisStore) {
                return Optional.of(earlier.runId());
            }
        } catch (IOException e) {
            LOG.debug("cannot look for run {} in {}: {}", earlier.runId(), store.root(), e.toString());
        }
        if (replication.isPresent() && earlier.server().equals(Optional.of(replication.get().serverName()))) {
            return earlier.serverRunId();
        }
        return Optional.empty();
    }

    @Override
    public void leaveRunning(TrackedRun run) {
        for (StoreRun open : openRuns) {
            if (open == run) {
                open.writeBuffered();
                openRuns.remove(open);
            }
        }
    }

    @Override
    public String destination() {
        return destination;
    }

    /**
     * Ends open runs as INTERRUPTED (MLflow's KILLED), writes what is buffered and sends what is
     * left, for at most the delivery timeout (requests end by then), stops the worker, and reports
     * what is not on the server.
     */
    @Override
    public TrackingReport finish() {
        synchronized (this) {
            reportTaken = true;
            if (closed) {
                return report;
            }
            closed = true;
        }
        for (StoreRun run : openRuns) {
            try {
                run.end(RunStatus.INTERRUPTED, Optional.empty());
            } catch (UncheckedIOException e) {
                LOG.warn("The end of run {} could not be recorded: {}", run.runId(), e.getCause().toString());
            }
        }
        // the wall clock, not the tracker's clock (fixed in tests): it bounds real waiting
        replication.ifPresent(r -> r.deliverBy(Instant.now().plus(deliveryTimeout)));
        Future<?> last = worker.submit(() -> {
            writeBuffered();
            replication.ifPresent(LiveReplication::sendFinal);
        });
        try {
            last.get(deliveryTimeout.plus(DEADLINE_GRACE).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.debug("the last round of sending was still running after {} s", deliveryTimeout.toSeconds());
        } catch (ExecutionException e) {
            LOG.warn("Tracking failed while closing: {}", e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        worker.shutdownNow();
        try {
            if (!worker.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("The tracking worker did not stop within {} s", STOP_TIMEOUT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        TrackingReport done = replication.map(LiveReplication::finish).orElse(TrackingReport.DELIVERED);
        synchronized (this) {
            report = done;
        }
        return done;
    }

    /** {@link #finish()}, logging its problems unless a caller of finish() took them. */
    @Override
    public void close() {
        boolean told;
        synchronized (this) {
            told = reportTaken;
        }
        TrackingReport done = finish();
        if (!told) {
            done.problems().forEach(LOG::warn);
        }
    }

    /** Runs one round of the worker now and waits for it: tests use it to send at known moments. */
    void workNow() throws InterruptedException, ExecutionException {
        worker.submit(this::work).get();
    }

    private void wake() {
        if (replication.isPresent() && wakeQueued.compareAndSet(false, true)) {
            try {
                worker.execute(() -> {
                    wakeQueued.set(false);
                    work();
                });
            } catch (RejectedExecutionException e) {
                // closing: the last round sends it
                wakeQueued.set(false);
            }
        }
    }

    /** Writes buffered points of every open run and sends what is due; never throws, or the timer would stop. */
    private void work() {
        writeBuffered();
        try {
            replication.ifPresent(LiveReplication::sendDue);
        } catch (RuntimeException e) {
            LOG.error("Tracking could not send records: {}", e.toString(), e);
        }
    }

    private void writeBuffered() {
        for (StoreRun run : openRuns) {
            try {
                run.writeBuffered();
            } catch (RuntimeException e) {
                // kept in the buffer: written with the next round, or reported when the run ends
                LOG.debug("Tracking could not write the metric points of run {}: {}", run.runId(), e.toString());
            }
            if (run.isEnded()) {
                openRuns.remove(run);
            }
        }
    }
}
