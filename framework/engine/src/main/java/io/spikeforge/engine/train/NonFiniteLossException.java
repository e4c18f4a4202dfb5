package io.spikeforge.engine.train;

import java.util.Locale;

/**
 * The training loss became NaN or infinite. Thrown before the step's update, so the parameters are
 * those of the last finite step.
 */
public final class NonFiniteLossException extends RuntimeException {
    private final String model;
    private final int epoch;
    private final int step;
    private final double loss;

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
                        + " try a lower one.", model, loss, epoch + 1, step + 1, learningRate));
        this.model = model;
        this.epoch = epoch;
        this.step = step;
        this.loss = loss;
    }

    /** The name the loop was given. */
    public String model() {
        return model;
    }

    /** The epoch, from 0 (the message counts from 1). */
    public int epoch() {
        return epoch;
    }

    /** The step within the epoch, from 0 (the message counts from 1). */
    public int step() {
        return step;
    }

    /** The NaN or infinite value. */
    public double loss() {
        return loss;
    }
}
