package io.spikeforge.runner.config;

/**
 * The {@code dataset.augment} section: training-time augmentation.
 *
 * @param randomCropPadding pixels of zero padding before a random crop back to the image size; 0 disables cropping
 * @param horizontalFlip whether images are flipped left-right with probability 1/2
 */
public record AugmentConfig(int randomCropPadding, boolean horizontalFlip) {
}
