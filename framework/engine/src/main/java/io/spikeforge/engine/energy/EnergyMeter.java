package io.spikeforge.engine.energy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Measures a model's operations over the evaluation-mode forward passes between {@link #start()}
 * and {@link #stop()}, and reports them per image: one {@link OperationCounter} per layer with
 * weights, in forward order, and the images the model was run on. Training-mode forward passes, and
 * any outside a measurement, count nothing. Not thread-safe, like the model it belongs to.
 */
public final class EnergyMeter {
    private final int timeSteps;
    private final List<OperationCounter> counters = new ArrayList<>();
    private boolean measuring;
    private long images;

    /** @param timeSteps T of the model, 1 for an ANN */
    public EnergyMeter(int timeSteps) {
        if (timeSteps < 1) {
            throw new IllegalArgumentException("timeSteps must be positive, got " + timeSteps);
        }
        this.timeSteps = timeSteps;
    }

    /**
     * Adds the counter of the next layer with weights, in forward order.
     *
     * @param layer its state-dict prefix
     * @param input what its input carries
     */
    public OperationCounter add(String layer, SignalKind input) {
        OperationCounter counter = new OperationCounter(layer, input, this);
        counters.add(counter);
        return counter;
    }

    /** The counters, in forward order. */
    public List<OperationCounter> counters() {
        return Collections.unmodifiableList(counters);
    }

    /** Starts a measurement from zero. */
    public void start() {
        counters.forEach(OperationCounter::reset);
        images = 0;
        measuring = true;
    }

    /** Ends the measurement; what it counted stays for {@link #report()}. */
    public void stop() {
        measuring = false;
    }

    /** Whether forward passes are being counted. */
    public boolean measuring() {
        return measuring;
    }

    /** Counts the images of one evaluation-mode forward pass of the model, when measuring. */
    public void countImages(long count) {
        if (measuring) {
            images += count;
        }
    }

    /** The images counted in the current or last measurement. */
    public long images() {
        return images;
    }

    /**
     * The operations per image of the current or last measurement.
     *
     * @throws IllegalStateException when it counted no image
     */
    public EnergyReport report() {
        if (images == 0) {
            throw new IllegalStateException("no image was counted: start() the meter before evaluation-mode forwards");
        }
        return new EnergyReport(counters.stream().map(c -> c.perImage(images)).toList(), timeSteps);
    }
}
