package io.spikeforge.engine.train;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One finished epoch: its training and its evaluation.
 *
 * @param model the name the loop was given
 * @param epoch the epoch, from 0
 * @param learningRate the rate used throughout the epoch
 * @param trainLoss the training loss averaged over the epoch's images
 * @param trainLossTerms each named part of the training loss, averaged the same way
 * @param trainAccuracy top-1 accuracy on the training batches as they were trained on (augmented,
 *     model in training mode, weights changing during the epoch)
 * @param evaluation the test set after the epoch
 * @param trainingTime wall time of the epoch's steps
 * @param evaluationTime wall time of the evaluation
 */
public record EpochResult(String model, int epoch, double learningRate, double trainLoss,
                          Map<String, Double> trainLossTerms, double trainAccuracy, EvaluationResult evaluation,
                          Duration trainingTime, Duration evaluationTime) {
    public EpochResult {
        Objects.requireNonNull(model, "model");
        trainLossTerms = Collections.unmodifiableMap(new LinkedHashMap<>(trainLossTerms));
        Objects.requireNonNull(evaluation, "evaluation");
        Objects.requireNonNull(trainingTime, "trainingTime");
        Objects.requireNonNull(evaluationTime, "evaluationTime");
    }

    /** Training and evaluation together. */
    public Duration totalTime() {
        return trainingTime.plus(evaluationTime);
    }
}
