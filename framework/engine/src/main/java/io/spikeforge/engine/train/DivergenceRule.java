package io.spikeforge.engine.train;

import java.util.Locale;

/**
 * When a {@link TrainingLoop} stops a training whose loss is finite but diverging: when the
 * training loss stays above {@code lossFactor * ln(classes)} for {@code steps} steps in a row
 * ({@link LossBoundExceededException}). A NaN or infinite loss stops it at once, whatever the rule
 * ({@link NonFiniteLossException}).
 *
 * <p>Why this bound: ln(classes) is the cross-entropy of a uniform guess, about where a fresh
 * classifier starts (2.3 for 10 classes, 4.6 for 100), and a training that learns goes down from
 * there; distillation's extra terms add a few times that at most (Hinton KD with temperature 4 and
 * weight 0.3: under 5 ln(classes)). A loss a hundred times above it means logits that miss the
 * label by hundreds; an exploding training (a learning rate far too high) reaches 1e10 and more
 * within a few steps, and a learning training never stays there. Requiring several steps in a row
 * keeps a single outlier batch from stopping a training that recovers.
 *
 * @param lossFactor the bound in units of ln(classes), above 1; {@link Double#POSITIVE_INFINITY}
 *     turns the rule off
 * @param steps consecutive steps above the bound that stop the training, at least 1
 */
public record DivergenceRule(double lossFactor, int steps) {
    /** The default: 100 ln(classes) for 5 steps in a row. */
    public static final DivergenceRule DEFAULT = new DivergenceRule(100, 5);
    /** Only a NaN or infinite loss stops the training. */
    public static final DivergenceRule OFF = new DivergenceRule(Double.POSITIVE_INFINITY, 1);

    public DivergenceRule {
        if (!(lossFactor > 1)) {
            throw new IllegalArgumentException("the loss factor must be above 1, got " + lossFactor);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        }
    }

    /** True unless this is {@link #OFF}. */
    public boolean enabled() {
        return lossFactor != Double.POSITIVE_INFINITY;
    }

    /** The loss above which a step counts: {@code lossFactor * ln(classes)}, with at least 2 classes. */
    public double bound(int classes) {
        return lossFactor * Math.log(Math.max(classes, 2));
    }

    /** {@code 230.3 (100 x ln 10)}, or {@code none} when off. */
    public String describe(int classes) {
        if (!enabled()) {
            return "none";
        }
        return String.format(Locale.ROOT, "%.4g (%s x ln %d)", bound(classes), compact(lossFactor),
                Math.max(classes, 2));
    }

    private static String compact(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%s", value);
    }
}
