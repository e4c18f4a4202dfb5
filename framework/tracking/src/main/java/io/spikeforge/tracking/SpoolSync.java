package io.spikeforge.tracking;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Sends the runs of a spool to a tracking server: what the server has not confirmed, checking
 * first what it has (see {@link Replicator}), so that a sync after any failure leaves exactly one
 * copy of every record on the server, and a second sync sends nothing. Runs open in a live process
 * are left to it; parents go before their children. A run sent to another server before is not
 * sent to this one unless asked ({@code anotherServer}): the spool then keeps a ledger per server.
 */
public final class SpoolSync {
    private SpoolSync() {
    }

    /** How a sync treats runs that went elsewhere, and artifacts. */
    public record Options(boolean anotherServer, boolean artifactsThroughProxy) {
        /** Runs go to the server they went to before; artifacts only where the server proxies them. */
        public static final Options DEFAULT = new Options(false, false);
    }

    /** Syncs every run of {@code spool} to {@code server} with the {@link Options#DEFAULT default options}. */
    public static SyncReport sync(Path spool, ServerConnection server) throws IOException {
        return sync(spool, server, Options.DEFAULT);
    }

    /**
     * Syncs every run of {@code spool} to {@code server}.
     *
     * @param options {@code anotherServer}: runs sent to another server before are sent to this one
     *     too; {@code artifactsThroughProxy}: see {@link Replicator#Replicator}
     * @throws IOException if the spool cannot be read
     */
    public static SyncReport sync(Path spool, ServerConnection server, Options options) throws IOException {
        return sync(spool, server, options, runId -> true);
    }

    /**
     * Syncs the runs of {@code spool} that {@code runIds} selects to {@code server}, such as one run
     * changed after its process ended ({@link RunTrackers#sendRecordedRun}).
     *
     * @throws IOException if the spool cannot be read
     */
    public static SyncReport sync(Path spool, ServerConnection server, Options options, Predicate<String> runIds)
            throws IOException {
        if (!Files.isDirectory(spool)) {
            throw new IOException("no spool folder " + spool.toAbsolutePath());
        }
        FileStore store = new FileStore(spool, Clock.systemUTC(), IdSource.random());
        Replicator replicator = new Replicator(new MlflowRestClient(server), store, options.artifactsThroughProxy());
        List<Pending> pending = new ArrayList<>();
        for (MlflowRunFolder run : store.runs()) {
            if (!runIds.test(run.runId())) {
                continue;
            }
            pending.add(new Pending(run, run.meta()));
        }
        pending.sort(Comparator.comparingLong((Pending p) -> p.meta.startTime()).thenComparing(p -> p.meta.runId()));

        Map<String, SyncReport.RunSync> results = new LinkedHashMap<>();
        Optional<String> unreachable = Optional.empty();
        // a run waits for the runs it refers to; each pass sends at least one more of them, or nothing changes
        boolean progress = true;
        while (progress && unreachable.isEmpty()) {
            progress = false;
            for (Pending run : pending) {
                if (results.containsKey(run.meta.runId()) || unreachable.isPresent()) {
                    continue;
                }
                SyncCounts counts = new SyncCounts(run.meta.runId(), run.meta.runName());
                Optional<RunLock> lock = RunLock.tryAcquire(run.folder.dir());
                if (lock.isEmpty()) {
                    results.put(run.meta.runId(), counts.result(SyncReport.State.IN_USE,
                            Optional.of("open in a running Spikeforge process, which sends it itself")));
                    progress = true;
                    continue;
                }
                try (RunLock held = lock.get()) {
                    Optional<SyncLedger> ledger = replicator.ledgerFor(run.folder, options.anotherServer());
                    if (ledger.isEmpty()) {
                        results.put(run.meta.runId(), counts.result(SyncReport.State.OTHER_SERVER, Optional.of(
                                "sent to " + String.join(" and ", Replicator.serversOf(run.folder))
                                        + " before, which is another server: this one does not have the run")));
                        progress = true;
                        continue;
                    }
                    SyncReport.State state = replicator.replicate(run.folder, ledger.get(), true, counts);
                    if (state != SyncReport.State.WAITING_FOR_PARENT) {
                        results.put(run.meta.runId(), counts.result(state, problem(state, counts)));
                        progress = true;
                    }
                } catch (ServerUnavailableException e) {
                    unreachable = Optional.of(e.getMessage());
                    results.put(run.meta.runId(), counts.result(SyncReport.State.NOT_REACHED,
                            Optional.of(e.getMessage())));
                } catch (ServerRefusedException e) {
                    results.put(run.meta.runId(), counts.result(SyncReport.State.REFUSED,
                            Optional.of(e.getMessage())));
                    progress = true;
                }
            }
        }
        SyncReport.State notTried = unreachable.isPresent()
                ? SyncReport.State.NOT_REACHED : SyncReport.State.WAITING_FOR_PARENT;
        Optional<String> why = unreachable.isPresent() ? Optional.empty()
                : Optional.of("a run it refers to (its parent, or the run it resumes) is not on the server");
        for (Pending run : pending) {
            results.computeIfAbsent(run.meta.runId(), id -> new SyncCounts(id, run.meta.runName()).result(notTried, why));
        }
        return new SyncReport(server.name(), new ArrayList<>(results.values()), unreachable);
    }

    private static Optional<String> problem(SyncReport.State state, SyncCounts counts) {
        return switch (state) {
            case NO_END_STATUS -> Optional.of("the run has no end status: it is running, or its process was killed");
            case ARTIFACTS_NOT_SENT -> Optional.of(counts.artifactProblem);
            default -> Optional.empty();
        };
    }

    private record Pending(MlflowRunFolder folder, RunMeta meta) {
    }
}
