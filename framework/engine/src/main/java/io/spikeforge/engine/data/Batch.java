package io.spikeforge.engine.data;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One batch of training or test data.
 *
 * @param images float images {@code [B, C, H, W]} (NCHW) of the set's {@link ImageShape}, augmented and normalized
 * @param labels the class of each image
 * @param imageIndices the position of each image in its {@link ImageSet}
 * @param epoch the epoch the batch belongs to
 * @param number the batch's position within its epoch, from 0
 */
public record Batch(INDArray images, int[] labels, int[] imageIndices, int epoch, int number) {
    /** Number of images in the batch (the last batch of an epoch may be smaller). */
    public int size() {
        return labels.length;
    }
}
