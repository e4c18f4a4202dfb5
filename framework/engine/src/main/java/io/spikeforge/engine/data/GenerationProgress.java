package io.spikeforge.engine.data;

/** Receives progress while a synthetic set is generated, on the generating thread. */
@FunctionalInterface
public interface GenerationProgress {
    /** Ignores progress. */
    GenerationProgress NONE = (done, total) -> { };

    /**
     * Called after each chunk of images.
     *
     * @param imagesDone images written so far, over both splits
     * @param imagesTotal images in both splits
     */
    void update(long imagesDone, long imagesTotal);
}
