package io.spikeforge.engine.train;

import java.util.Locale;

/**
 * The training loss became NaN or infinite. Thrown before the step's update, so the parameters are
 * those of the last finite step.
 */
public final class NonFiniteLossException extends LossDivergedException {
    /**
     * @param model the name the loop was given
     * @param epoch the epoch, from 0
     * @param step the step within the epoch, from 0
     * @param loss the offending value
     * @param learningRate the rate of the epoch
     */
    public NonFiniteLossException(String model, int epoch, int step, double loss, double learningRate) {
        super(String.format(Locale.ROOT, "%s: the training loss is %s at epoch %d, step %d (learning rate %s);"
                        + " training stopped before this step's update. The learning rate is probably too high:"
                        + " try a lower one.", model, loss, epoch + 1, step + 1, learningRate),
                model, epoch, step, loss);
    }
}
