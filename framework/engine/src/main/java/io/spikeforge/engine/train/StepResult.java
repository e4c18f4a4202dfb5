package io.spikeforge.engine.train;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One optimization step.
 *
 * @param model the name the loop was given
 * @param epoch the epoch, from 0
 * @param step the step within the epoch, from 0
 * @param stepsPerEpoch steps in every epoch
 * @param loss the batch-mean training loss the gradient came from
 * @param lossTerms its named parts ({@code ce}, {@code kd}, ...), summing to {@code loss}
 * @param learningRate the rate of the update
 * @param batchSize images in the batch
 * @param duration wall time of the step: forward passes, loss, backward pass and update
 */
public record StepResult(String model, int epoch, int step, int stepsPerEpoch, double loss,
                         Map<String, Double> lossTerms, double learningRate, int batchSize, Duration duration) {
    public StepResult {
        Objects.requireNonNull(model, "model");
        lossTerms = Collections.unmodifiableMap(new LinkedHashMap<>(lossTerms));
        Objects.requireNonNull(duration, "duration");
    }
}
