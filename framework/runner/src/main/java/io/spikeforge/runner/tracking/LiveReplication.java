package io.spikeforge.runner.tracking;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sender of a tracker with a server: copies the runs of this process from the spool to the
 * server. Only the tracker's worker thread calls {@link #sendDue()}, and {@link #finish()} comes
 * after it stopped; {@link #track} is called by the threads that start runs.
 *
 * <p>When the server fails, the run goes on in the spool alone and the sender tries the server
 * again after {@code retryInterval}, in recover mode (see {@link Replicator}); whatever is left
 * when the tracker closes waits in the spool for {@code spikeforge mlflow sync}.
 */
final class LiveReplication {
    private static final Logger LOG = LoggerFactory.getLogger(LiveReplication.class);

    private final Replicator replicator;
    private final ServerConnection server;
    private final FileStore spool;
    private final Clock clock;
    private final Duration retryInterval;
    private final Map<String, LiveRun> runs = new LinkedHashMap<>();

    /** A run of this process being sent; parents come before children in {@link #runs}. */
    private static final class LiveRun {
        final RunFolder folder;
        final SyncLedger ledger;
        final RunLock lock;
        boolean recover;
        Instant nextAttempt = Instant.MIN;
        boolean warned;

        LiveRun(RunFolder folder, SyncLedger ledger, RunLock lock) {
            this.folder = folder;
            this.ledger = ledger;
            this.lock = lock;
        }
    }

    LiveReplication(MlflowRestClient client, FileStore spool, Clock clock, Duration retryInterval) {
        this.replicator = new Replicator(client, spool);
        this.server = client.connection();
        this.spool = spool;
        this.clock = clock;
        this.retryInterval = retryInterval;
    }

    /** Starts sending a new run; locks it against syncs from other processes. */
    void track(RunFolder folder) throws IOException {
        RunLock lock = RunLock.tryAcquire(folder.dir())
                .orElseThrow(() -> new IOException("run folder " + folder.dir() + " is locked by another process"));
        LiveRun run = new LiveRun(folder, SyncLedger.load(folder.dir()), lock);
        synchronized (runs) {
            runs.put(folder.runId(), run);
        }
    }

    /** Sends what is new of every run whose turn it is; drops runs that are ended and all sent. */
    void sendDue() {
        for (LiveRun run : snapshot()) {
            if (clock.instant().isBefore(run.nextAttempt)) {
                continue;
            }
            SyncCounts counts = new SyncCounts(run.folder.runId(), "");
            try {
                SyncReport.State state = replicator.replicate(run.folder, run.ledger, run.recover, counts);
                // the ledger is exact again: no need to ask the server what it has
                run.recover = false;
                if (run.warned) {
                    LOG.info("MLflow server {} is back: run {} is being sent again", server.name(), run.folder.runId());
                    run.warned = false;
                }
                if (state == SyncReport.State.COMPLETE) {
                    release(run);
                } else if (state == SyncReport.State.WAITING_FOR_PARENT) {
                    run.nextAttempt = clock.instant().plus(retryInterval);
                }
            } catch (ServerUnavailableException e) {
                setAside(run, e.getMessage());
            } catch (ServerRefusedException e) {
                setAside(run, "the server refused a request: " + e.getMessage());
            } catch (IOException | RuntimeException e) {
                setAside(run, "the spool could not be read: " + e);
            }
        }
    }

    /**
     * Says which runs are not entirely on the server (they wait in the spool) and releases every
     * run's lock; called once the worker has stopped.
     */
    void finish() {
        List<LiveRun> left = snapshot();
        if (!left.isEmpty()) {
            LOG.warn("{} run(s) are not (entirely) on MLflow server {}; their records are kept in {}. "
                    + "Send them with: spikeforge mlflow sync --spool {} --uri {}", left.size(), server.name(),
                    spool.root(), spool.root(), server.name());
        }
        left.forEach(this::release);
    }

    private void setAside(LiveRun run, String reason) {
        run.recover = true;
        run.nextAttempt = clock.instant().plus(retryInterval);
        if (!run.warned) {
            run.warned = true;
            LOG.warn("Run {} goes on in the spool {}: {}. The sender tries again in {} s; "
                    + "`spikeforge mlflow sync` sends the rest later.", run.folder.runId(), spool.root(), reason,
                    retryInterval.toSeconds());
        }
    }

    private void release(LiveRun run) {
        synchronized (runs) {
            runs.remove(run.folder.runId());
        }
        try {
            run.lock.close();
        } catch (IOException e) {
            LOG.warn("Cannot release the lock of run {}: {}", run.folder.runId(), e.toString());
        }
    }

    private List<LiveRun> snapshot() {
        synchronized (runs) {
            return new ArrayList<>(runs.values());
        }
    }
}
