package io.spikeforge.engine.data;

import java.util.Objects;

/**
 * How a {@link DataLoader} forms batches.
 *
 * @param batchSize images per batch
 * @param shuffle whether each epoch visits the images in its own random order
 * @param dropLast whether a last batch smaller than {@code batchSize} is dropped
 * @param seed the seed of the epoch orders and of the augmentation
 * @param augmentation random crop and flip
 * @param normalization per-channel normalization ({@link Normalization#unitRange(int)} for none)
 * @param prefetch how many batches the background thread prepares ahead
 */
public record LoaderOptions(int batchSize, boolean shuffle, boolean dropLast, long seed, Augmentation augmentation,
                            Normalization normalization, int prefetch) {
    /** Batches prepared ahead unless set otherwise. */
    public static final int DEFAULT_PREFETCH = 3;

    public LoaderOptions {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be >= 1, got " + prefetch);
        }
        Objects.requireNonNull(augmentation, "augmentation");
        Objects.requireNonNull(normalization, "normalization");
    }

    /** Training: shuffled every epoch, augmented, last partial batch kept. */
    public static LoaderOptions training(int batchSize, long seed, Augmentation augmentation,
                                         Normalization normalization) {
        return new LoaderOptions(batchSize, true, false, seed, augmentation, normalization, DEFAULT_PREFETCH);
    }

    /** Evaluation: images in order, not augmented, last partial batch kept. */
    public static LoaderOptions evaluation(int batchSize, Normalization normalization) {
        return new LoaderOptions(batchSize, false, false, 0, Augmentation.NONE, normalization, DEFAULT_PREFETCH);
    }

    /** These options with the given last-batch policy. */
    public LoaderOptions withDropLast(boolean drop) {
        return new LoaderOptions(batchSize, shuffle, drop, seed, augmentation, normalization, prefetch);
    }

    /** These options with the given number of batches prepared ahead. */
    public LoaderOptions withPrefetch(int batches) {
        return new LoaderOptions(batchSize, shuffle, dropLast, seed, augmentation, normalization, batches);
    }
}
