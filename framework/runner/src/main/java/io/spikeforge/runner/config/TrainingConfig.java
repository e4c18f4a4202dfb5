package io.spikeforge.runner.config;

import java.util.Objects;

/**
 * A training section: the student's ({@code training}) or the teacher's ({@code teacher.training}).
 *
 * @param epochs passes over the training set, {@code >= 1}
 * @param batchSize images per step, {@code >= 1}
 * @param optimizer the optimizer
 * @param schedule the learning-rate schedule
 * @param divergence when a finite loss counts as diverging
 */
public record TrainingConfig(int epochs, int batchSize, OptimizerConfig optimizer, ScheduleConfig schedule,
                             DivergenceConfig divergence) {
    public TrainingConfig {
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(divergence, "divergence");
    }
}
