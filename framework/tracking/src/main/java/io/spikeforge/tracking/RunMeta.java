package io.spikeforge.tracking;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run's {@code meta.yaml} in MLflow's file store.
 *
 * @param runId 32 hexadecimal characters, also the folder's name ({@code run_id} and {@code run_uuid})
 * @param experimentId the experiment's id
 * @param runName the name the UI shows
 * @param userId who ran it
 * @param artifactUri a {@code file://} URI: the run's {@code artifacts} folder
 * @param status the status
 * @param startTime milliseconds since the epoch
 * @param endTime milliseconds since the epoch, once ended
 */
record RunMeta(String runId, String experimentId, String runName, String userId, String artifactUri,
               RunStatus status, long startTime, Optional<Long> endTime) {
    /** MLflow's SourceType.LOCAL, which its file store writes for every run. */
    private static final int SOURCE_TYPE_LOCAL = 4;

    RunMeta ended(RunStatus newStatus, long time) {
        return new RunMeta(runId, experimentId, runName, userId, artifactUri, newStatus, startTime, Optional.of(time));
    }

    RunMeta reopened() {
        return new RunMeta(runId, experimentId, runName, userId, artifactUri, RunStatus.RUNNING, startTime,
                Optional.empty());
    }

    /**
     * The fields as MLflow writes them. A run that was just created also has
     * {@code deleted_time: null}; MLflow drops that field when it rewrites the file, and so do we.
     */
    Map<String, Object> toYaml(boolean justCreated) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("artifact_uri", artifactUri);
        if (justCreated) {
            fields.put("deleted_time", null);
        }
        fields.put("end_time", endTime.orElse(null));
        fields.put("entry_point_name", "");
        fields.put("experiment_id", experimentId);
        fields.put("lifecycle_stage", ExperimentMeta.ACTIVE);
        fields.put("run_id", runId);
        fields.put("run_name", runName);
        fields.put("run_uuid", runId);
        fields.put("source_name", "");
        fields.put("source_type", SOURCE_TYPE_LOCAL);
        fields.put("source_version", "");
        fields.put("start_time", startTime);
        fields.put("status", status.fileStoreCode());
        fields.put("tags", List.of());
        fields.put("user_id", userId);
        return fields;
    }

    static RunMeta fromYaml(Map<String, Object> fields) throws IOException {
        Object status = fields.get("status");
        Long start = MetaYaml.optionalLong(fields, "start_time");
        Object name = fields.get("run_name");
        Object user = fields.get("user_id");
        return new RunMeta(MetaYaml.string(fields, "run_uuid"), MetaYaml.string(fields, "experiment_id"),
                name == null ? "" : name.toString(), user == null ? "" : user.toString(),
                MetaYaml.string(fields, "artifact_uri"),
                status instanceof Number n ? RunStatus.ofFileStoreCode(n.intValue()) : RunStatus.RUNNING,
                start == null ? 0 : start, Optional.ofNullable(MetaYaml.optionalLong(fields, "end_time")));
    }
}
