package io.spikeforge.engine.train;

import java.util.Locale;

/**
 * The training loss, although finite, stayed above the {@link DivergenceRule}'s bound for the
 * rule's number of steps in a row. Thrown before the last of those steps' update.
 */
public final class LossBoundExceededException extends LossDivergedException {
    /**
     * @param model the name the loop was given
     * @param epoch the epoch, from 0
     * @param step the step within the epoch, from 0
     * @param loss the last step's loss
     * @param learningRate the rate of the epoch
     * @param bound the rule's bound, as {@link DivergenceRule#describe} gives it
     * @param steps the steps in a row above it
     */
    public LossBoundExceededException(String model, int epoch, int step, double loss, double learningRate,
                                      String bound, int steps) {
        super(String.format(Locale.ROOT, "%s: the training loss is %.4g at epoch %d, step %d (learning rate %s),"
                        + " above %s for %d steps in a row: the training diverges; it stopped before this step's"
                        + " update. The learning rate is probably too high: try a lower one.", model, loss, epoch + 1,
                        step + 1, learningRate, bound, steps),
                model, epoch, step, loss);
    }
}
