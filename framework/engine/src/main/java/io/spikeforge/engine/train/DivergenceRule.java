package io.spikeforge.engine.train;

import java.util.Locale;

/**
 * When a {@link TrainingLoop} stops a training whose loss is finite but diverging: when the
 * training loss stays above {@code lossFactor} times its reference for {@code steps} steps in a
 * row ({@link LossBoundExceededException}). The reference is the larger of ln(classes) and the
 * loss of the loop's first step, taken before any update. A NaN or infinite loss stops the training
 * at once, whatever the rule ({@link NonFiniteLossException}).
 *
 * <p>Why this bound: ln(classes) is the cross-entropy of a uniform guess, about where a fresh
 * classifier starts (2.3 for 10 classes, 4.6 for 100), and a training that learns goes down from
 * its start. A loss that starts higher is that loss's own scale: Hinton KD adds
 * {@code weight * T^2 * KL}, up to {@code weight * T^2 * ln(classes)} against a student that
 * starts near a uniform guess (temperature 4, weight 0.3: 4.8 ln(classes)), and at temperature 20
 * a confident teacher (a logit 60 above the others, 10 classes) gives KD 400, above 100 ln(classes);
 * another loss plugin may weigh its terms otherwise. The first step's loss covers them all. A
 * loss a hundred times above where it started means logits that miss the label by hundreds; an
 * exploding training (a learning rate far too high) reaches 1e10 and more within a few steps, and a
 * learning training never stays there. Requiring several steps in a row keeps a single outlier
 * batch from stopping a training that recovers.
 *
 * @param lossFactor the bound in units of the reference, above 1; {@link Double#POSITIVE_INFINITY}
 *     turns the rule off
 * @param steps consecutive steps above the bound that stop the training, at least 1
 */
public record DivergenceRule(double lossFactor, int steps) {
    /** The default: 100 times the reference for 5 steps in a row. */
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

    /**
     * The loss above which a step counts: {@code lossFactor} times the larger of ln(classes), with
     * at least 2 classes, and {@code firstLoss}.
     *
     * @param firstLoss the loss of the loop's first step (a non-finite one counts as none)
     */
    public double bound(int classes, double firstLoss) {
        return lossFactor * reference(classes, firstLoss);
    }

    /**
     * {@code 230.3 (100 x ln 10)}, {@code 3.600e+04 (100 x 360.0, the loss of the first step)}, or
     * {@code none} when off.
     */
    public String describe(int classes, double firstLoss) {
        if (!enabled()) {
            return "none";
        }
        double uniform = Math.log(Math.max(classes, 2));
        String reference = reference(classes, firstLoss) > uniform
                ? String.format(Locale.ROOT, "%.4g, the loss of the first step", firstLoss)
                : "ln " + Math.max(classes, 2);
        return String.format(Locale.ROOT, "%.4g (%s x %s)", bound(classes, firstLoss), compact(lossFactor), reference);
    }

    private static double reference(int classes, double firstLoss) {
        double uniform = Math.log(Math.max(classes, 2));
        return Double.isFinite(firstLoss) ? Math.max(uniform, firstLoss) : uniform;
    }

    private static String compact(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%s", value);
    }
}
