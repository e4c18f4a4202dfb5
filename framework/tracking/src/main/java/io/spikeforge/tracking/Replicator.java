package io.spikeforge.tracking;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mlflow.api.proto.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a spooled run to a tracking server: whatever its {@link SyncLedger} does not list as
 * confirmed, recording each confirmation as the server gives it. The live sender and
 * {@link SpoolSync} both use it.
 *
 * <p>In <em>recover</em> mode, used after a failure and by every sync, the server is asked first
 * what it already has, since a request may have reached it although its answer did not come back:
 * an existing copy of the run (by its {@value RunTags#SPOOL_RUN_ID} tag), params (the same value
 * counts as sent, another value is a conflict and is not sent), and each metric's points (a point
 * the server has, by key, timestamp, value and step, is not sent again). Tags, the end status and
 * artifacts are simply sent again: the server replaces them.
 *
 * <p>Order: records, then the end status, then artifacts, so that the status never waits for
 * artifacts the server does not take. Artifacts go through the server's artifact proxy to the
 * run's own location ({@link ArtifactLocation}); a run whose location is not behind the proxy,
 * or a server that does not serve artifacts, keeps them in the spool.
 *
 * <p>The same server: a run's ledger names the server by the URI it was sent to. Another URI
 * (such as {@code localhost} for {@code 127.0.0.1}, or a proxy's name) is the same server when it
 * has the run the ledger names, tagged with this spool run's id: run ids are random 128-bit
 * values, so only the server that created the run has it.
 */
final class Replicator {
    private static final Logger LOG = LoggerFactory.getLogger(Replicator.class);
    /**
     * Tags whose value is the id of another run of the spool, which the server knows by the id of
     * its own copy: the run waits until that run is on the server.
     */
    private static final List<String> RUN_REFERENCES = List.of(RunTags.PARENT_RUN_ID, RunTags.RESUMED_FROM);

    private final MlflowRestClient client;
    private final FileStore spool;
    private final boolean artifactsThroughProxy;
    /** Servers of ledgers found to be this one under another name, as the ledgers name them. */
    private final Set<String> aliases = new HashSet<>();

    /**
     * @param artifactsThroughProxy whether artifacts of runs whose location is not behind the proxy
     *     go through it all the same, to the path under the proxy's destination that matches the
     *     location when the destination is the server's default artifact root; the server's
     *     listing of the run's artifacts must then show the first file, or nothing more is sent
     */
    Replicator(MlflowRestClient client, FileStore spool, boolean artifactsThroughProxy) {
        this.client = client;
        this.spool = spool;
        this.artifactsThroughProxy = artifactsThroughProxy;
    }

    /**
     * The run's ledger for this server: the one of this server; else the ledger of a first server
     * when the run was sent nowhere yet; else, when it went to other servers, a new ledger if
     * {@code anotherServer}, or empty.
     *
     * @throws ServerUnavailableException when the server, asked whether it is one of the run's
     *     servers under another name, does not answer
     */
    Optional<SyncLedger> ledgerFor(MlflowRunFolder run, boolean anotherServer)
            throws ServerUnavailableException, ServerRefusedException, IOException {
        List<SyncLedger> ledgers = SyncLedger.loadAll(run.dir());
        Optional<SyncLedger> mine = ledgerOfThisServer(ledgers, run.runId());
        if (mine.isPresent()) {
            return mine;
        }
        if (ledgers.get(0).server().isEmpty()) {
            return Optional.of(ledgers.get(0));
        }
        return anotherServer ? Optional.of(SyncLedger.next(run.dir())) : Optional.empty();
    }

    /** The servers the run was sent to, as its ledgers name them. */
    static List<String> serversOf(MlflowRunFolder run) throws IOException {
        return SyncLedger.loadAll(run.dir()).stream().flatMap(l -> l.server().stream())
                .map(SyncLedger.ServerRun::trackingUri).toList();
    }

    /** The ledger of this server: by its name first, then by asking it about the runs of the others. */
    private Optional<SyncLedger> ledgerOfThisServer(List<SyncLedger> ledgers, String spoolRunId)
            throws ServerUnavailableException, ServerRefusedException {
        for (SyncLedger ledger : ledgers) {
            Optional<SyncLedger.ServerRun> known = ledger.server();
            if (known.isPresent() && (known.get().trackingUri().equals(client.connection().name())
                    || aliases.contains(known.get().trackingUri()))) {
                return Optional.of(ledger);
            }
        }
        for (SyncLedger ledger : ledgers) {
            if (ledger.server().isPresent() && hasTheRunOf(ledger.server().get(), spoolRunId)) {
                return Optional.of(ledger);
            }
        }
        return Optional.empty();
    }

    /** Whether this server has the run another name of it created for the spool run: then it is that server. */
    private boolean hasTheRunOf(SyncLedger.ServerRun known, String spoolRunId)
            throws ServerUnavailableException, ServerRefusedException {
        Optional<Service.Run> copy = client.run(known.runId());
        boolean same = copy.isPresent() && copy.get().getInfo().getExperimentId().equals(known.experimentId())
                && copy.get().getData().getTagsList().stream().anyMatch(tag ->
                        tag.getKey().equals(RunTags.SPOOL_RUN_ID) && tag.getValue().equals(spoolRunId));
        if (same) {
            aliases.add(known.trackingUri());
        }
        return same;
    }

    /**
     * Sends what the server lacks of {@code run}.
     *
     * @param ledger the run's ledger for this server ({@link #ledgerFor})
     * @return {@link SyncReport.State#COMPLETE} or {@link SyncReport.State#NO_END_STATUS} when
     *     everything was sent, {@link SyncReport.State#ARTIFACTS_NOT_SENT} when all but artifacts
     *     the server does not take, {@link SyncReport.State#WAITING_FOR_PARENT} when a run it refers
     *     to is not on the server yet ({@link SyncCounts#waitingFor})
     * @throws ServerUnavailableException when the server failed: what was confirmed until then is
     *     in the ledger
     * @throws ServerRefusedException when the server refused a request
     */
    SyncReport.State replicate(MlflowRunFolder run, SyncLedger ledger, boolean recover, SyncCounts counts)
            throws ServerUnavailableException, ServerRefusedException, IOException {
        RunMeta meta = run.meta();
        Map<String, String> tags = run.tags();
        Map<String, String> references = new LinkedHashMap<>();
        for (String key : RUN_REFERENCES) {
            if (tags.containsKey(key)) {
                Optional<String> onServer = serverRunIdOf(tags.get(key));
                if (onServer.isEmpty()) {
                    counts.waitingFor = tags.get(key);
                    return SyncReport.State.WAITING_FOR_PARENT;
                }
                references.put(key, onServer.get());
            }
        }
        Optional<SyncLedger.ServerRun> known = ledger.server();
        SyncLedger.ServerRun target = known.isPresent() ? known.get()
                : createOnServer(meta, ledger, recover, counts, Optional.ofNullable(tags.get(RunTags.RUN_FOLDER)));
        counts.serverRunId = target.runId();
        sendRecords(run, ledger, target, tags, references, recover, counts);
        // a new run is RUNNING on the server; a run ended and set RUNNING again later (a sweep's parent
        // reopened by a resubmission or a resumed sweep) is sent RUNNING, then its new end
        if (ledger.status().orElse(RunStatus.RUNNING) != meta.status()) {
            client.updateRun(target.runId(), meta.status(), meta.endTime().orElse(meta.startTime()));
            ledger.recordStatus(meta.status());
            counts.status = meta.status();
        }
        if (!sendArtifacts(run, ledger, target, counts)) {
            return SyncReport.State.ARTIFACTS_NOT_SENT;
        }
        return meta.status() == RunStatus.RUNNING ? SyncReport.State.NO_END_STATUS : SyncReport.State.COMPLETE;
    }

    /**
     * The server's id of a run referred to: of its server copy when it is a spooled run (empty
     * until it has one), else the id itself, which then names a run of the server already.
     */
    private Optional<String> serverRunIdOf(String runId)
            throws ServerUnavailableException, ServerRefusedException, IOException {
        Optional<MlflowRunFolder> referred = spool.run(runId);
        if (referred.isEmpty()) {
            return Optional.of(runId);
        }
        return ledgerOfThisServer(SyncLedger.loadAll(referred.get().dir()), runId)
                .flatMap(SyncLedger::server).map(SyncLedger.ServerRun::runId);
    }

    /**
     * Creates the server's copy of the run (or, recovering, finds the one a lost answer hid), and
     * lists it in the run folder's {@value RunIdsFile#FILE_NAME} when the run has one.
     */
    private SyncLedger.ServerRun createOnServer(RunMeta meta, SyncLedger ledger, boolean recover, SyncCounts counts,
                                                Optional<String> runFolder)
            throws ServerUnavailableException, ServerRefusedException, IOException {
        String experimentName = experimentName(meta);
        String experimentId = client.experimentId(experimentName);
        Service.RunInfo info = null;
        if (recover) {
            List<Service.RunInfo> earlier = client.runsTagged(experimentId, RunTags.SPOOL_RUN_ID, meta.runId());
            info = earlier.isEmpty() ? null : earlier.get(0);
        }
        if (info == null) {
            info = client.createRun(experimentId, meta.runName(), meta.userId(), meta.startTime(),
                    Map.of(RunTags.SPOOL_RUN_ID, meta.runId()));
            counts.runCreated = true;
        }
        SyncLedger.ServerRun target = new SyncLedger.ServerRun(client.connection().name(), experimentId,
                info.getRunId(), info.getArtifactUri());
        ledger.recordServer(target);
        if (runFolder.isPresent()) {
            try {
                RunIdsFile.recordServerRun(Path.of(runFolder.get()), meta.runId(), target.trackingUri(), target.runId());
            } catch (IOException | RuntimeException e) {
                LOG.warn("Cannot list the server's run {} in {}: {}", target.runId(),
                        Path.of(runFolder.get()).resolve(RunIdsFile.FILE_NAME), e.toString());
            }
        }
        return target;
    }

    private String experimentName(RunMeta meta) throws IOException {
        return spool.experiment(meta.experimentId())
                .orElseThrow(() -> new IOException("the spool has no experiment " + meta.experimentId()))
                .name();
    }

    /** Where the server keeps a run's artifacts, as it told when the run was created. */
    ArtifactLocation artifactLocation(SyncLedger.ServerRun target) {
        return ArtifactLocation.of(target.artifactUri(), client.base());
    }

    /** What the server needs to take the artifacts of runs of this experiment, for a run whose location is direct. */
    String whatTheServerNeeds(ArtifactLocation.Direct location, MlflowRunFolder run, SyncLedger.ServerRun target)
            throws IOException {
        return location.whatTheServerNeeds(client.connection().name(), experimentName(run.meta()),
                target.experimentId(), target.runId());
    }

    private void sendRecords(MlflowRunFolder run, SyncLedger ledger, SyncLedger.ServerRun target, Map<String, String> tags,
                             Map<String, String> references, boolean recover, SyncCounts counts)
            throws ServerUnavailableException, ServerRefusedException, IOException {
        Map<String, String> params = pendingParams(run, ledger, target, recover, counts);
        Map<String, String> pendingTags = new LinkedHashMap<>();
        tags.forEach((key, value) -> {
            if (!ledger.hasTag(key, value)) {
                pendingTags.put(key, value);
            }
        });

        List<Service.Metric> metrics = new ArrayList<>();
        List<String> metricKeys = new ArrayList<>();
        List<Long> metricEnds = new ArrayList<>();
        Map<String, Long> readUpTo = new HashMap<>();
        for (String key : run.metricKeys()) {
            long from = ledger.metricOffset(key);
            MlflowRunFolder.MetricChunk chunk = run.readMetric(key, from);
            List<MlflowRunFolder.MetricChunk.Line> pending = recover && !chunk.lines().isEmpty()
                    ? notOnServer(run, key, from, chunk.lines(), target, counts) : chunk.lines();
            for (MlflowRunFolder.MetricChunk.Line line : pending) {
                MetricPoint point = line.point();
                metrics.add(Service.Metric.newBuilder().setKey(key).setValue(point.value())
                        .setTimestamp(point.timestamp()).setStep(point.step()).build());
                metricKeys.add(key);
                metricEnds.add(line.endOffset());
            }
            if (chunk.endOffset() > from) {
                readUpTo.put(key, chunk.endOffset());
            }
        }

        List<String> paramKeys = new ArrayList<>(params.keySet());
        List<Service.Param> paramMessages = paramKeys.stream()
                .map(key -> Service.Param.newBuilder().setKey(key).setValue(params.get(key)).build()).toList();
        List<String> tagKeys = new ArrayList<>(pendingTags.keySet());
        List<Service.RunTag> tagMessages = tagKeys.stream()
                .map(key -> Service.RunTag.newBuilder().setKey(key)
                        .setValue(references.getOrDefault(key, pendingTags.get(key))).build())
                .toList();
        for (LogBatchPlan.Batch batch : LogBatchPlan.split(paramMessages, tagMessages, metrics)) {
            client.logBatch(target.runId(), metrics.subList(batch.metricsFrom(), batch.metricsTo()),
                    paramMessages.subList(batch.paramsFrom(), batch.paramsTo()),
                    tagMessages.subList(batch.tagsFrom(), batch.tagsTo()));
            Map<String, String> confirmedTags = new LinkedHashMap<>();
            tagKeys.subList(batch.tagsFrom(), batch.tagsTo()).forEach(key -> confirmedTags.put(key, pendingTags.get(key)));
            Map<String, Long> offsets = new LinkedHashMap<>();
            for (int i = batch.metricsFrom(); i < batch.metricsTo(); i++) {
                offsets.merge(metricKeys.get(i), metricEnds.get(i), Math::max);
            }
            ledger.record(paramKeys.subList(batch.paramsFrom(), batch.paramsTo()), confirmedTags, offsets);
            counts.params += batch.paramsTo() - batch.paramsFrom();
            counts.tags += batch.tagsTo() - batch.tagsFrom();
            counts.metricPoints += batch.metricsTo() - batch.metricsFrom();
        }
        // points the server had already, and unreadable lines, lie past the last point sent
        Map<String, Long> skippedTails = new LinkedHashMap<>();
        readUpTo.forEach((key, offset) -> {
            if (offset > ledger.metricOffset(key)) {
                skippedTails.put(key, offset);
            }
        });
        ledger.record(List.of(), Map.of(), skippedTails);
    }

    /**
     * Uploads the artifact files that are new or changed since they were last confirmed.
     *
     * @return false when the server does not take them: then {@link SyncCounts#artifactsNotSent}
     *     and {@link SyncCounts#artifactProblem} say how many and why
     */
    private boolean sendArtifacts(MlflowRunFolder run, SyncLedger ledger, SyncLedger.ServerRun target, SyncCounts counts)
            throws ServerUnavailableException, ServerRefusedException, IOException {
        Map<String, Path> pending = new LinkedHashMap<>();
        Map<String, String> fingerprints = new HashMap<>();
        for (Map.Entry<String, Path> artifact : run.artifacts().entrySet()) {
            Path file = artifact.getValue();
            String fingerprint = Files.size(file) + ":" + Files.getLastModifiedTime(file).toMillis();
            if (!ledger.hasArtifact(artifact.getKey(), fingerprint)) {
                pending.put(artifact.getKey(), file);
                fingerprints.put(artifact.getKey(), fingerprint);
            }
        }
        if (pending.isEmpty()) {
            return true;
        }
        ArtifactLocation location = artifactLocation(target);
        ArtifactLocation.Proxied proxied;
        boolean check = false;
        if (location instanceof ArtifactLocation.Direct direct) {
            if (!artifactsThroughProxy || direct.root(target.experimentId(), target.runId()).isEmpty()) {
                counts.artifactsNotSent = pending.size();
                counts.artifactProblem = whatTheServerNeeds(direct, run, target) + (artifactsThroughProxy
                        ? " (--artifacts-through-proxy cannot send them: the location is not the default root "
                                + "followed by <experiment id>/<run id>/artifacts)" : "");
                return false;
            }
            proxied = new ArtifactLocation.Proxied(client.base(),
                    ArtifactLocation.Direct.pathUnderRoot(target.experimentId(), target.runId()));
            check = true;
        } else {
            proxied = (ArtifactLocation.Proxied) location;
        }
        int sent = 0;
        for (Map.Entry<String, Path> artifact : pending.entrySet()) {
            try {
                client.uploadArtifact(proxied, artifact.getKey(), artifact.getValue());
                if (check && !listed(target.runId(), artifact.getKey(), Files.size(artifact.getValue()))) {
                    counts.artifactsNotSent = pending.size() - sent;
                    counts.artifactProblem = "sent " + artifact.getKey() + " through the artifact proxy of MLflow "
                            + "server " + client.connection().name() + ", but the server does not list it among the "
                            + "artifacts of run " + target.runId() + " at " + target.artifactUri() + ": the proxy's "
                            + "--artifacts-destination is not that location's root. The file went to "
                            + proxied.path() + "/" + artifact.getKey() + " under the proxy's destination; nothing "
                            + "more was sent";
                    return false;
                }
                check = false;
            } catch (ServerRefusedException e) {
                if (!MlflowRestClient.ARTIFACT_PROXY_DISABLED.equals(e.errorCode())) {
                    throw e;
                }
                counts.artifactsNotSent = pending.size() - sent;
                counts.artifactProblem = "MLflow server " + client.connection().name() + " runs with "
                        + "--no-serve-artifacts, so it takes no artifact uploads; restart it with --serve-artifacts "
                        + "(the default) to send them (" + e.getMessage() + ")";
                return false;
            }
            ledger.recordArtifact(artifact.getKey(), fingerprints.get(artifact.getKey()));
            sent++;
            counts.artifacts++;
        }
        return true;
    }

    /** Whether the server lists the run's artifact {@code path} with {@code size} bytes. */
    private boolean listed(String runId, String path, long size)
            throws ServerUnavailableException, ServerRefusedException {
        int slash = path.lastIndexOf('/');
        return client.listArtifacts(runId, slash < 0 ? "" : path.substring(0, slash)).stream()
                .anyMatch(file -> file.getPath().equals(path) && !file.getIsDir() && file.getFileSize() == size);
    }

    /** The params to send: in recover mode, less those the server has (same value) or contradicts. */
    private Map<String, String> pendingParams(MlflowRunFolder run, SyncLedger ledger, SyncLedger.ServerRun target,
                                              boolean recover, SyncCounts counts)
            throws ServerUnavailableException, ServerRefusedException, IOException {
        Map<String, String> pending = new LinkedHashMap<>();
        run.params().forEach((key, value) -> {
            if (!ledger.hasParam(key)) {
                pending.put(key, value);
            }
        });
        if (!recover || pending.isEmpty()) {
            return pending;
        }
        Map<String, String> onServer = client.params(target.runId());
        List<String> alreadyThere = new ArrayList<>();
        for (Map.Entry<String, String> param : List.copyOf(pending.entrySet())) {
            String serverValue = onServer.get(param.getKey());
            if (serverValue == null) {
                continue;
            }
            pending.remove(param.getKey());
            if (serverValue.equals(param.getValue())) {
                alreadyThere.add(param.getKey());
            } else {
                counts.conflicts.add(param.getKey() + ": server has '" + serverValue + "', spool has '"
                        + param.getValue() + "'");
            }
        }
        ledger.record(alreadyThere, Map.of(), Map.of());
        counts.paramsAlreadyThere += alreadyThere.size();
        return pending;
    }

    /**
     * The lines whose points the server lacks. The server's copies are counted, less those of the
     * points confirmed before {@code from}, so a point logged twice on purpose is still sent twice.
     */
    private List<MlflowRunFolder.MetricChunk.Line> notOnServer(MlflowRunFolder run, String key, long from,
                                                         List<MlflowRunFolder.MetricChunk.Line> pending,
                                                         SyncLedger.ServerRun target, SyncCounts counts)
            throws ServerUnavailableException, ServerRefusedException, IOException {
        Map<MetricPoint, Integer> onServer = new HashMap<>();
        for (MetricPoint point : client.metricHistory(target.runId(), key)) {
            onServer.merge(point, 1, Integer::sum);
        }
        if (from > 0) {
            for (MlflowRunFolder.MetricChunk.Line confirmed : run.readMetric(key, 0).lines()) {
                if (confirmed.endOffset() <= from) {
                    takeOne(onServer, confirmed.point());
                }
            }
        }
        List<MlflowRunFolder.MetricChunk.Line> missing = new ArrayList<>();
        for (MlflowRunFolder.MetricChunk.Line line : pending) {
            if (takeOne(onServer, line.point())) {
                counts.metricPointsAlreadyThere++;
            } else {
                missing.add(line);
            }
        }
        return missing;
    }

    /** Removes one copy of {@code point}; false when there was none. */
    private static boolean takeOne(Map<MetricPoint, Integer> copies, MetricPoint point) {
        Integer n = copies.get(point);
        if (n == null) {
            return false;
        }
        if (n == 1) {
            copies.remove(point);
        } else {
            copies.put(point, n - 1);
        }
        return true;
    }
}
