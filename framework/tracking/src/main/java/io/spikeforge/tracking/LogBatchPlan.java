package io.spikeforge.tracking;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.mlflow.api.proto.Service;
import org.mlflow_project.google.protobuf.Message;

/**
 * Splits params, tags and metric points into log-batch requests that an MLflow server accepts
 * (mlflow/utils/validation.py): at most 1000 metrics, 100 params and 100 tags, 1000 entities in
 * all, and 1 MB of JSON per request. Params and tags share one budget of 100 here, which keeps
 * within the limits of older servers too. Each kind keeps its order, so the metric points of a
 * key reach the server in the order they were logged.
 */
final class LogBatchPlan {
    static final int MAX_METRICS = 1000;
    static final int MAX_PARAMS_AND_TAGS = 100;
    static final int MAX_ENTITIES = 1000;
    static final int MAX_REQUEST_BYTES = 1_000_000;
    /** Room for {@code {"run_id":"...","metrics":[],"params":[],"tags":[]}} and some to spare. */
    private static final int ENVELOPE_BYTES = 1024;
    /** Everything of a metric point's JSON but its key: 46 characters of syntax and 64 of numbers, rounded up. */
    private static final int METRIC_JSON_OVERHEAD = 128;

    private LogBatchPlan() {
    }

    /**
     * One request: the index ranges {@code [from, to)} of the params, tags and metrics it carries.
     */
    record Batch(int paramsFrom, int paramsTo, int tagsFrom, int tagsTo, int metricsFrom, int metricsTo) {
        int size() {
            return (paramsTo - paramsFrom) + (tagsTo - tagsFrom) + (metricsTo - metricsFrom);
        }
    }

    /** The requests that send every entity once, in order. */
    static List<Batch> split(List<? extends Message> params, List<? extends Message> tags,
                             List<Service.Metric> metrics) {
        List<Batch> batches = new ArrayList<>();
        int p = 0;
        int t = 0;
        int m = 0;
        while (p < params.size() || t < tags.size() || m < metrics.size()) {
            int budget = MAX_REQUEST_BYTES - ENVELOPE_BYTES;
            int count = 0;
            int p0 = p;
            int t0 = t;
            int m0 = m;
            while (count < MAX_PARAMS_AND_TAGS && (p < params.size() || t < tags.size())) {
                Message next = p < params.size() ? params.get(p) : tags.get(t);
                int bytes = jsonBytes(next);
                if (bytes > budget && count > 0) {
                    break;
                }
                budget -= bytes;
                count++;
                if (p < params.size()) {
                    p++;
                } else {
                    t++;
                }
            }
            int metricCount = 0;
            while (metricCount < MAX_METRICS && count < MAX_ENTITIES && m < metrics.size()) {
                int bytes = metricBytesAtMost(metrics.get(m));
                if (bytes > budget && count > 0) {
                    break;
                }
                budget -= bytes;
                count++;
                metricCount++;
                m++;
            }
            batches.add(new Batch(p0, p, t0, t, m0, m));
        }
        return batches;
    }

    /**
     * A bound on a metric point's JSON, cheaper than printing thousands of them: up to six bytes
     * per key byte escaped, {@code {"key":"","value":,"timestamp":"","step":""},} and at most 24
     * characters of value and 20 digits each of timestamp and step.
     */
    private static int metricBytesAtMost(Service.Metric metric) {
        return 6 * metric.getKey().getBytes(StandardCharsets.UTF_8).length + METRIC_JSON_OVERHEAD;
    }

    /** The entity's JSON in the request, with its separating comma. */
    private static int jsonBytes(Message entity) {
        return MlflowRestClient.json(entity).getBytes(StandardCharsets.UTF_8).length + 1;
    }
}
