package io.spikeforge.runner.tracking;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mlflow.api.proto.Service;

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
 */
final class Replicator {
    private final MlflowRestClient client;
    private final FileStore spool;

    Replicator(MlflowRestClient client, FileStore spool) {
        this.client = client;
        this.spool = spool;
    }

    /**
     * Sends what the server lacks of {@code run}.
     *
     * @return {@link SyncReport.State#COMPLETE} or {@link SyncReport.State#NO_END_STATUS} when
     *     everything was sent, else why not
     * @throws ServerUnavailableException when the server failed: what was confirmed until then is
     *     in the ledger
     * @throws ServerRefusedException when the server refused a request
     */
    SyncReport.State replicate(RunFolder run, SyncLedger ledger, boolean recover, SyncCounts counts)
            throws ServerUnavailableException, ServerRefusedException, IOException {
        RunMeta meta = run.meta();
        Optional<SyncLedger.ServerRun> known = ledger.server();
        if (known.isPresent() && !known.get().trackingUri().equals(client.connection().name())) {
            return SyncReport.State.OTHER_SERVER;
        }
        Map<String, String> tags = run.tags();
        Optional<String> serverParent = Optional.empty();
        if (tags.containsKey(RunTags.PARENT_RUN_ID)) {
            serverParent = serverRunIdOf(tags.get(RunTags.PARENT_RUN_ID));
            if (serverParent.isEmpty()) {
                return SyncReport.State.WAITING_FOR_PARENT;
            }
        }
        SyncLedger.ServerRun target = known.isPresent() ? known.get() : createOnServer(meta, ledger, recover, counts);
        counts.serverRunId = target.runId();
        sendRecords(run, ledger, target, tags, serverParent, recover, counts);
        sendArtifacts(run, ledger, target, counts);
        if (meta.status() == RunStatus.RUNNING) {
            return SyncReport.State.NO_END_STATUS;
        }
        if (ledger.status().filter(meta.status()::equals).isEmpty()) {
            client.updateRun(target.runId(), meta.status(), meta.endTime().orElse(meta.startTime()));
            ledger.recordStatus(meta.status());
            counts.status = meta.status();
        }
        return SyncReport.State.COMPLETE;
    }

    /**
     * The server's id of a parent run: of its server copy when it is a spooled run (empty until it
     * has one), else the id itself, which then names a run of the server already.
     */
    private Optional<String> serverRunIdOf(String parentRunId) throws IOException {
        Optional<RunFolder> parent = spool.run(parentRunId);
        if (parent.isEmpty()) {
            return Optional.of(parentRunId);
        }
        return SyncLedger.load(parent.get().dir()).server()
                .filter(server -> server.trackingUri().equals(client.connection().name()))
                .map(SyncLedger.ServerRun::runId);
    }

    private SyncLedger.ServerRun createOnServer(RunMeta meta, SyncLedger ledger, boolean recover, SyncCounts counts)
            throws ServerUnavailableException, ServerRefusedException, IOException {
        String experimentName = spool.experiment(meta.experimentId())
                .orElseThrow(() -> new IOException("the spool has no experiment " + meta.experimentId()))
                .name();
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
        return target;
    }

    private void sendRecords(RunFolder run, SyncLedger ledger, SyncLedger.ServerRun target, Map<String, String> tags,
                             Optional<String> serverParent, boolean recover, SyncCounts counts)
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
            RunFolder.MetricChunk chunk = run.readMetric(key, from);
            List<RunFolder.MetricChunk.Line> pending = recover && !chunk.lines().isEmpty()
                    ? notOnServer(run, key, from, chunk.lines(), target, counts) : chunk.lines();
            for (RunFolder.MetricChunk.Line line : pending) {
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
                .map(key -> Service.RunTag.newBuilder().setKey(key).setValue(
                        key.equals(RunTags.PARENT_RUN_ID) ? serverParent.orElseThrow() : pendingTags.get(key)).build())
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

    /** Uploads the artifact files that are new or changed since they were last confirmed. */
    private void sendArtifacts(RunFolder run, SyncLedger ledger, SyncLedger.ServerRun target, SyncCounts counts)
            throws ServerUnavailableException, ServerRefusedException, IOException {
        for (Map.Entry<String, Path> artifact : run.artifacts().entrySet()) {
            Path file = artifact.getValue();
            String fingerprint = Files.size(file) + ":" + Files.getLastModifiedTime(file).toMillis();
            if (ledger.hasArtifact(artifact.getKey(), fingerprint)) {
                continue;
            }
            client.uploadArtifact(target.artifactUri(), target.experimentId(), target.runId(), artifact.getKey(), file);
            ledger.recordArtifact(artifact.getKey(), fingerprint);
            counts.artifacts++;
        }
    }

    /** The params to send: in recover mode, less those the server has (same value) or contradicts. */
    private Map<String, String> pendingParams(RunFolder run, SyncLedger ledger, SyncLedger.ServerRun target,
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
    private List<RunFolder.MetricChunk.Line> notOnServer(RunFolder run, String key, long from,
                                                         List<RunFolder.MetricChunk.Line> pending,
                                                         SyncLedger.ServerRun target, SyncCounts counts)
            throws ServerUnavailableException, ServerRefusedException, IOException {
        Map<MetricPoint, Integer> onServer = new HashMap<>();
        for (MetricPoint point : client.metricHistory(target.runId(), key)) {
            onServer.merge(point, 1, Integer::sum);
        }
        if (from > 0) {
            for (RunFolder.MetricChunk.Line confirmed : run.readMetric(key, 0).lines()) {
                if (confirmed.endOffset() <= from) {
                    takeOne(onServer, confirmed.point());
                }
            }
        }
        List<RunFolder.MetricChunk.Line> missing = new ArrayList<>();
        for (RunFolder.MetricChunk.Line line : pending) {
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
