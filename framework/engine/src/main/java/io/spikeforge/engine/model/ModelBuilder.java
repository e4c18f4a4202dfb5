package io.spikeforge.engine.model;

import io.spikeforge.engine.tensor.MemoryBudget;
import io.spikeforge.engine.tensor.MemoryEstimate;
import java.util.Collection;
import java.util.stream.Stream;

/**
 * The settings of a model family ({@link ResNet.Builder}, {@link Vgg.Builder}): makes the model, and
 * estimates its memory from the same settings before anything is allocated, so that callers (the
 * runner's memory check, {@code bench}) refuse absurd sizes for any family.
 */
public interface ModelBuilder {
    /**
     * Makes the model, after checking that its parameters and their gradients fit in the memory this
     * process may still take ({@link MemoryBudget}).
     *
     * @throws IllegalArgumentException for settings the family refuses, or parameters that do not
     *     fit in memory ({@link InsufficientMemoryException})
     */
    Model build();

    /**
     * The memory a model of these settings takes, estimated from its layer shapes without allocating
     * anything: parameters, gradients, momentum when it is trained, and for each batch size the
     * buffers its layers keep (time-steps times batch rows in a spiking network) and the largest
     * transient buffer of one operation. Every distinct batch size has buffers of its own, so a
     * smaller last batch counts as another size.
     *
     * @param imageSize height and width of the images
     * @param trainingBatches the batch sizes it trains on (SGD with momentum); empty when it is only
     *     evaluated
     * @param inferenceBatches the batch sizes it runs forward only on (evaluation, a teacher in
     *     distillation)
     * @throws IllegalArgumentException for settings {@link #build} refuses (memory aside), or sizes
     *     below 1
     */
    MemoryEstimate estimateMemory(int imageSize, Collection<Integer> trainingBatches,
                                  Collection<Integer> inferenceBatches);

    /** Refuses image and batch sizes below 1, for {@link #estimateMemory}. */
    static void requirePositiveSizes(int imageSize, Collection<Integer> trainingBatches,
                                     Collection<Integer> inferenceBatches) {
        if (imageSize < 1 || Stream.concat(trainingBatches.stream(), inferenceBatches.stream()).anyMatch(b -> b < 1)) {
            throw new IllegalArgumentException("image size and batch sizes must be positive, got " + imageSize
                    + ", " + trainingBatches + " and " + inferenceBatches);
        }
    }

    /**
     * Refuses, before {@link #build} allocates, a model whose parameters and gradients do not fit in
     * what this process may still take.
     *
     * @param estimate the model's estimate (its parameter and gradient bytes are used)
     * @throws InsufficientMemoryException when they do not fit
     */
    static void requireParametersFit(MemoryEstimate estimate) {
        MemoryEstimate state = new MemoryEstimate(estimate.parameterBytes(), estimate.gradientBytes(), 0, 0, 0, 0);
        MemoryBudget budget = MemoryBudget.current();
        if (!budget.fits(state)) {
            throw new InsufficientMemoryException("the model's parameters and their gradients need "
                    + MemoryEstimate.format(state.totalBytes()) + ", more than the memory left: " + budget,
                    state, budget);
        }
    }
}
