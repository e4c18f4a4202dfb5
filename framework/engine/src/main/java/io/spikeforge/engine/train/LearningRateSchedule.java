package io.spikeforge.engine.train;

import java.util.Arrays;

/**
 * The learning rate of each epoch. Epochs count from 0; like PyTorch's epoch-wise schedulers, the
 * rate is constant within an epoch.
 */
@FunctionalInterface
public interface LearningRateSchedule {
    /** The learning rate used throughout epoch {@code epoch} (0-based). */
    double rate(int epoch);

    /** The same rate every epoch. */
    static LearningRateSchedule constant(double rate) {
        requirePositive(rate);
        return epoch -> rate;
    }

    /**
     * Multiplies the rate by {@code gamma} at each milestone epoch, as PyTorch's {@code MultiStepLR}:
     * {@code base * gamma^(number of milestones <= epoch)}.
     */
    static LearningRateSchedule multiStep(double base, int[] milestones, double gamma) {
        requirePositive(base);
        int[] sorted = milestones.clone();
        for (int i = 0; i < sorted.length; i++) {
            if (sorted[i] < 1 || (i > 0 && sorted[i] <= sorted[i - 1])) {
                throw new IllegalArgumentException("milestones must be strictly increasing positive epochs, got "
                        + Arrays.toString(milestones));
            }
        }
        return epoch -> {
            int passed = 0;
            while (passed < sorted.length && sorted[passed] <= epoch) {
                passed++;
            }
            return base * Math.pow(gamma, passed);
        };
    }

    /** Multiplies the rate by {@code gamma} every {@code every} epochs, as PyTorch's {@code StepLR}. */
    static LearningRateSchedule step(double base, int every, double gamma) {
        requirePositive(base);
        if (every < 1) {
            throw new IllegalArgumentException("step schedule needs every >= 1, got " + every);
        }
        return epoch -> base * Math.pow(gamma, epoch / every);
    }

    /**
     * Cosine annealing from {@code base} to {@code min} over {@code epochs} epochs, as PyTorch's
     * {@code CosineAnnealingLR} with {@code T_max = epochs}.
     */
    static LearningRateSchedule cosine(double base, double min, int epochs) {
        requirePositive(base);
        if (epochs < 1 || min < 0 || min > base) {
            throw new IllegalArgumentException("cosine schedule needs epochs >= 1 and 0 <= min <= base, got epochs="
                    + epochs + " min=" + min + " base=" + base);
        }
        return epoch -> min + (base - min) * (1 + Math.cos(Math.PI * Math.min(epoch, epochs) / epochs)) / 2;
    }

    private static void requirePositive(double rate) {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("learning rate must be a positive finite number, got " + rate);
        }
    }
}
