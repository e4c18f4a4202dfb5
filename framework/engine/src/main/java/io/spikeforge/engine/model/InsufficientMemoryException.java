package io.spikeforge.engine.model;

import io.spikeforge.engine.tensor.MemoryBudget;
import io.spikeforge.engine.tensor.MemoryEstimate;

/** A model's settings ask for more memory than this process may still take; nothing was allocated. */
public final class InsufficientMemoryException extends IllegalArgumentException {
    private final transient MemoryEstimate estimate;
    private final transient MemoryBudget budget;

    public InsufficientMemoryException(String message, MemoryEstimate estimate, MemoryBudget budget) {
        super(message);
        this.estimate = estimate;
        this.budget = budget;
    }

    /** What the settings need. */
    public MemoryEstimate estimate() {
        return estimate;
    }

    /** What was left. */
    public MemoryBudget budget() {
        return budget;
    }
}
