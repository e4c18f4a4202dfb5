package io.spikeforge.engine.train;

/**
 * The training loss diverged and the {@link TrainingLoop} stopped before the step's update, so the
 * parameters are those after the previous step: {@link NonFiniteLossException} for a NaN or
 * infinite loss, {@link LossBoundExceededException} for a finite one that the
 * {@link DivergenceRule} judges diverging.
 */
public abstract sealed class LossDivergedException extends RuntimeException
        permits NonFiniteLossException, LossBoundExceededException {
    private final String model;
    private final int epoch;
    private final int step;
    private final double loss;

    LossDivergedException(String message, String model, int epoch, int step, double loss) {
        super(message);
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

    /** The loss of the step that stopped the training. */
    public double loss() {
        return loss;
    }
}
