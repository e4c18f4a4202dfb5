package io.spikeforge.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service;

/** Log-batch requests stay within the server's limits and carry every entity once, in order. */
class LogBatchPlanTest {
    @Test
    void splitsByCount() {
        List<Service.Param> params = params(250, "v");
        List<Service.RunTag> tags = IntStream.range(0, 130)
                .mapToObj(i -> Service.RunTag.newBuilder().setKey("t" + i).setValue("v").build()).toList();
        List<Service.Metric> metrics = IntStream.range(0, 2500)
                .mapToObj(i -> Service.Metric.newBuilder().setKey("loss").setValue(i).setTimestamp(i).setStep(i)
                        .build()).toList();

        List<LogBatchPlan.Batch> batches = LogBatchPlan.split(params, tags, metrics);

        List<Integer> paramOrder = new ArrayList<>();
        List<Integer> tagOrder = new ArrayList<>();
        List<Integer> metricOrder = new ArrayList<>();
        for (LogBatchPlan.Batch batch : batches) {
            int paramsAndTags = (batch.paramsTo() - batch.paramsFrom()) + (batch.tagsTo() - batch.tagsFrom());
            assertTrue(paramsAndTags <= 100, batch::toString);
            assertTrue(batch.metricsTo() - batch.metricsFrom() <= 1000, batch::toString);
            assertTrue(batch.size() <= 1000 && batch.size() > 0, batch::toString);
            IntStream.range(batch.paramsFrom(), batch.paramsTo()).forEach(paramOrder::add);
            IntStream.range(batch.tagsFrom(), batch.tagsTo()).forEach(tagOrder::add);
            IntStream.range(batch.metricsFrom(), batch.metricsTo()).forEach(metricOrder::add);
        }
        assertEquals(IntStream.range(0, 250).boxed().toList(), paramOrder);
        assertEquals(IntStream.range(0, 130).boxed().toList(), tagOrder);
        assertEquals(IntStream.range(0, 2500).boxed().toList(), metricOrder);
        // 380 params and tags need at least 4 requests
        assertEquals(4, batches.size());
    }

    @Test
    void splitsBySize() {
        // 6000 characters that JSON escapes: each param is about 36 KB in the request
        List<Service.Param> params = params(100, "\"\u0001".repeat(3000));

        List<LogBatchPlan.Batch> batches = LogBatchPlan.split(params, List.of(), List.of());

        assertTrue(batches.size() > 1, "100 params of 36 KB cannot go in one 1 MB request");
        int sent = 0;
        for (LogBatchPlan.Batch batch : batches) {
            Service.LogBatch request = Service.LogBatch.newBuilder().setRunId("0".repeat(32))
                    .addAllParams(params.subList(batch.paramsFrom(), batch.paramsTo())).build();
            int bytes = MlflowRestClient.json(request).getBytes(StandardCharsets.UTF_8).length;
            assertTrue(bytes <= LogBatchPlan.MAX_REQUEST_BYTES, bytes + " bytes");
            sent += batch.paramsTo() - batch.paramsFrom();
        }
        assertEquals(100, sent);

        List<Service.Metric> longKeys = IntStream.range(0, 3000).mapToObj(i -> Service.Metric.newBuilder()
                .setKey("größe/" + "k".repeat(240) + i).setValue(-Double.MIN_VALUE).setTimestamp(Long.MAX_VALUE)
                .setStep(Long.MIN_VALUE).build()).toList();
        int points = 0;
        for (LogBatchPlan.Batch batch : LogBatchPlan.split(List.of(), List.of(), longKeys)) {
            Service.LogBatch request = Service.LogBatch.newBuilder().setRunId("0".repeat(32))
                    .addAllMetrics(longKeys.subList(batch.metricsFrom(), batch.metricsTo())).build();
            assertTrue(MlflowRestClient.json(request).getBytes(StandardCharsets.UTF_8).length
                    <= LogBatchPlan.MAX_REQUEST_BYTES);
            points += batch.metricsTo() - batch.metricsFrom();
        }
        assertEquals(3000, points);
    }

    @Test
    void nothingToSendIsNoRequest() {
        assertEquals(List.of(), LogBatchPlan.split(List.of(), List.of(), List.of()));
    }

    private static List<Service.Param> params(int count, String value) {
        return IntStream.range(0, count)
                .mapToObj(i -> Service.Param.newBuilder().setKey("p" + i).setValue(value).build()).toList();
    }
}
