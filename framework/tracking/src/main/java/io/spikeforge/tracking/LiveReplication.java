package io.spikeforge.tracking;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sender of a tracker with a server: copies the runs of this process from the spool to the
 * server. Only the tracker's worker thread calls {@link #sendDue()} and {@link #sendFinal}, and
 * {@link #finish()} comes after it stopped; {@link #track} is called by the threads that start runs.
 *
 * <p>When the server fails, the run goes on in the spool alone and the sender tries the server
 * again after {@code retryInterval}, in recover mode (see {@link Replicator}); the user is told at
 * the first failed request, once per outage. The last round, at the end, tries every run until a
 * deadline; whatever is left then waits in the spool for {@code spikeforge mlflow sync}, and
 * {@link #finish()} says what and why.
 *
 * <p>A run that refers to a spooled run the server does not have yet (the run a resumed run
 * continues, left in the spool by a process that could not send it) waits for it; the sender
 * takes that run over and sends it first, unless another process holds it.
 */
final class LiveReplication {
    private static final Logger LOG = LoggerFactory.getLogger(LiveReplication.class);

    private final Replicator replicator;
    private final MlflowRestClient client;
    private final ServerConnection server;
    private final FileStore spool;
    private final Clock clock;
    private final Duration retryInterval;
    private final Map<String, LiveRun> runs = new LinkedHashMap<>();
    /** Set while the server fails and the user was told: told again only after it answered. */
    private final AtomicBoolean outageTold = new AtomicBoolean();
    /** Messages about artifact locations told already: once per experiment, not per run. */
    private final Set<String> artifactWarnings = new HashSet<>();

    /** A run of this process being sent; runs another one refers to come before it in {@link #runs}. */
    private static final class LiveRun {
        final MlflowRunFolder folder;
        final RunLock lock;
        SyncLedger ledger;
        boolean recover;
        Instant nextAttempt = Instant.MIN;
        boolean refusalTold;
        /** Whether the run's artifact location was looked at, once the server gave it. */
        boolean locationChecked;
        /** Taken over from a process that ended without sending it: it may never get an end status. */
        final boolean adopted;
        /** Why the run is not entirely on the server, after the last attempt; DELIVERED while all went. */
        TrackingOutcome outcome = TrackingOutcome.UNREACHABLE;
        String problem = "not sent before the end of the run";

        LiveRun(MlflowRunFolder folder, RunLock lock, boolean adopted) {
            this.folder = folder;
            this.lock = lock;
            this.adopted = adopted;
            // the process that spooled an adopted run may have sent part of it without the answer coming back
            this.recover = adopted;
        }
    }

    LiveReplication(MlflowRestClient client, FileStore spool, Clock clock, Duration retryInterval) {
        this.replicator = new Replicator(client, spool, false);
        this.client = client;
        this.server = client.connection();
        this.spool = spool;
        this.clock = clock;
        this.retryInterval = retryInterval;
        client.onFailedAttempt(this::failedAttempt);
    }

    /** The server, as runs' ledgers and messages name it. */
    String serverName() {
        return server.name();
    }

    /** Starts sending a new run; locks it against syncs from other processes. */
    void track(MlflowRunFolder folder) throws IOException {
        RunLock lock = RunLock.tryAcquire(folder.dir())
                .orElseThrow(() -> new IOException("run folder " + folder.dir() + " is locked by another process"));
        synchronized (runs) {
            runs.put(folder.runId(), new LiveRun(folder, lock, false));
        }
    }

    /** Sends what is new of every run whose turn it is; drops runs that are ended and all sent. */
    void sendDue() {
        send(false);
    }

    /** Requests from now on, and those under way, end by {@code deadline}: the end of the run has begun. */
    void deliverBy(Instant deadline) {
        client.deliverBy(deadline);
    }

    /**
     * The last round: tries every run, also those set aside after a failure, with requests that
     * end by the deadline given to {@link #deliverBy}.
     */
    void sendFinal() {
        send(true);
    }

    private void send(boolean finalRound) {
        for (LiveRun run : snapshot()) {
            if (!finalRound && clock.instant().isBefore(run.nextAttempt)) {
                continue;
            }
            SyncCounts counts = new SyncCounts(run.folder.runId(), "");
            try {
                if (run.ledger == null) {
                    Optional<SyncLedger> ledger = replicator.ledgerFor(run.folder, false);
                    if (ledger.isEmpty()) {
                        setAside(run, TrackingOutcome.OTHER_SERVER, "sent to "
                                + String.join(" and ", Replicator.serversOf(run.folder)) + " before");
                        continue;
                    }
                    run.ledger = ledger.get();
                }
                SyncReport.State state = replicator.replicate(run.folder, run.ledger, run.recover, counts);
                // the ledger is exact again: no need to ask the server what it has
                run.recover = false;
                serverAnswered();
                tellArtifactLocation(run);
                switch (state) {
                    case COMPLETE -> release(run);
                    case NO_END_STATUS -> {
                        if (run.adopted) {
                            release(run);
                        }
                        run.outcome = TrackingOutcome.DELIVERED;
                    }
                    case ARTIFACTS_NOT_SENT -> {
                        run.outcome = TrackingOutcome.ARTIFACTS_NOT_SENT;
                        run.problem = counts.artifactsNotSent + " artifact file(s) not sent: " + counts.artifactProblem;
                    }
                    case WAITING_FOR_PARENT -> {
                        run.outcome = TrackingOutcome.UNREACHABLE;
                        run.problem = "it refers to run " + counts.waitingFor + " of the spool, which is not on the "
                                + "server yet";
                        run.nextAttempt = adopt(counts.waitingFor) ? Instant.MIN : clock.instant().plus(retryInterval);
                    }
                    default -> throw new IllegalStateException("a live run does not end up " + state);
                }
            } catch (ServerUnavailableException e) {
                setAside(run, TrackingOutcome.UNREACHABLE, e.getMessage());
            } catch (ServerRefusedException e) {
                setAside(run, TrackingOutcome.REFUSED, "the server refused a request: " + e.getMessage());
                if (!run.refusalTold) {
                    run.refusalTold = true;
                    LOG.warn("MLflow server {} refused a request for run {}: {}. The run goes on in the spool {}.",
                            server.name(), run.folder.runId(), e.getMessage(), spool.root());
                }
            } catch (IOException | RuntimeException e) {
                setAside(run, TrackingOutcome.UNREACHABLE, "the spool could not be read: " + e);
            }
        }
    }

    /**
     * Releases every run's lock and says which runs are not (entirely) on the server, and why;
     * called once the worker has stopped.
     */
    TrackingReport finish() {
        List<LiveRun> left = snapshot();
        TrackingOutcome outcome = TrackingOutcome.DELIVERED;
        List<String> problems = new ArrayList<>();
        for (LiveRun run : left) {
            outcome = outcome.and(run.outcome);
            problems.add("Run " + run.folder.runId() + " of the spool is not (entirely) on the server: " + run.problem
                    + ".");
        }
        if (!left.isEmpty()) {
            problems.add("The records wait in the spool " + spool.root() + "; send them to " + server.name()
                    + " with: spikeforge mlflow sync --spool " + spool.root() + " --uri " + server.name());
        }
        left.forEach(this::release);
        return new TrackingReport(outcome, problems);
    }

    private void failedAttempt(String failure) {
        if (outageTold.compareAndSet(false, true)) {
            LOG.warn("MLflow server {} {}. Nothing waits for it: the records are kept in the spool {} and sent when "
                    + "the server answers again (or by `spikeforge mlflow sync`).", server.name(), failure,
                    spool.root());
        }
    }

    private void serverAnswered() {
        if (outageTold.getAndSet(false)) {
            LOG.info("MLflow server {} answers again; the runs are being sent", server.name());
        }
    }

    /** Says, as soon as the server gave the run its artifact location, when Spikeforge cannot store artifacts there. */
    private void tellArtifactLocation(LiveRun run) throws IOException {
        Optional<SyncLedger.ServerRun> target = run.ledger.server();
        if (run.locationChecked || target.isEmpty()) {
            return;
        }
        run.locationChecked = true;
        if (replicator.artifactLocation(target.get()) instanceof ArtifactLocation.Direct direct) {
            String message = replicator.whatTheServerNeeds(direct, run.folder, target.get());
            if (artifactWarnings.add(message)) {
                LOG.warn("{}. Until then the artifacts of its runs wait in the spool {}.", message, spool.root());
            }
        }
    }

    /** Takes over a spooled run that a run of this process refers to; false if there is none free to take. */
    private boolean adopt(String spoolRunId) throws IOException {
        synchronized (runs) {
            if (runs.containsKey(spoolRunId)) {
                return false;
            }
        }
        Optional<MlflowRunFolder> folder = spool.run(spoolRunId);
        Optional<RunLock> lock = folder.isPresent() ? RunLock.tryAcquire(folder.get().dir()) : Optional.empty();
        if (lock.isEmpty()) {
            return false;
        }
        synchronized (runs) {
            Map<String, LiveRun> reordered = new LinkedHashMap<>();
            reordered.put(spoolRunId, new LiveRun(folder.get(), lock.get(), true));
            reordered.putAll(runs);
            runs.clear();
            runs.putAll(reordered);
        }
        return true;
    }

    private void setAside(LiveRun run, TrackingOutcome outcome, String reason) {
        run.recover = true;
        run.outcome = outcome;
        run.problem = reason;
        run.nextAttempt = clock.instant().plus(retryInterval);
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
