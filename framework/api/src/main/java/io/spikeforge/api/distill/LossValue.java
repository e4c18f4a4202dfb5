package io.spikeforge.api.distill;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A loss and its gradient.
 *
 * @param value the scalar loss (batch-mean)
 * @param gradient dL/dstudentLogits, shape {@code [B, K]}
 * @param terms the named parts that make up {@code value} (for example {@code ce} and {@code kd}),
 *     each already weighted as it enters the sum; logged per step
 */
public record LossValue(double value, INDArray gradient, Map<String, Double> terms) {
    public LossValue {
        Objects.requireNonNull(gradient, "gradient");
        terms = Collections.unmodifiableMap(new LinkedHashMap<>(terms));
    }
}
