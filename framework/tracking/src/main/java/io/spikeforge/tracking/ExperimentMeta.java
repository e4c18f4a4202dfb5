package io.spikeforge.tracking;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An experiment's {@code meta.yaml} in MLflow's file store.
 *
 * @param experimentId the id, also the folder's name
 * @param name the unique name
 * @param artifactLocation a {@code file://} URI: the experiment's folder
 * @param lifecycleStage {@code active} or {@code deleted}
 * @param creationTime milliseconds since the epoch
 * @param lastUpdateTime milliseconds since the epoch
 */
record ExperimentMeta(String experimentId, String name, String artifactLocation, String lifecycleStage,
                      long creationTime, long lastUpdateTime) {
    static final String ACTIVE = "active";

    Map<String, Object> toYaml() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("artifact_location", artifactLocation);
        fields.put("creation_time", creationTime);
        fields.put("experiment_id", experimentId);
        fields.put("last_update_time", lastUpdateTime);
        fields.put("lifecycle_stage", lifecycleStage);
        fields.put("name", name);
        return fields;
    }

    static ExperimentMeta fromYaml(Map<String, Object> fields) throws IOException {
        Long creation = MetaYaml.optionalLong(fields, "creation_time");
        Long update = MetaYaml.optionalLong(fields, "last_update_time");
        Object stage = fields.get("lifecycle_stage");
        return new ExperimentMeta(MetaYaml.string(fields, "experiment_id"), MetaYaml.string(fields, "name"),
                MetaYaml.string(fields, "artifact_location"), stage == null ? ACTIVE : stage.toString(),
                creation == null ? 0 : creation, update == null ? 0 : update);
    }
}
