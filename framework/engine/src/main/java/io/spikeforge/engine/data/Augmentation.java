package io.spikeforge.engine.data;

/**
 * Training-time augmentation, as torchvision's {@code RandomCrop(32, padding)} followed by
 * {@code RandomHorizontalFlip()}: zero padding on every side, a random 32x32 crop, then a
 * left-right flip with probability 1/2.
 *
 * @param cropPadding pixels of zero padding before the crop; 0 disables cropping
 * @param horizontalFlip whether images are flipped with probability 1/2
 */
public record Augmentation(int cropPadding, boolean horizontalFlip) {
    /** No augmentation (evaluation). */
    public static final Augmentation NONE = new Augmentation(0, false);
    /** The usual CIFAR recipe: padding 4 and flips. */
    public static final Augmentation CIFAR_STANDARD = new Augmentation(4, true);

    public Augmentation {
        if (cropPadding < 0 || cropPadding > ImageSet.SIDE) {
            throw new IllegalArgumentException("cropPadding must be in [0, " + ImageSet.SIDE + "], got " + cropPadding);
        }
    }

    /** True when this changes images at all. */
    public boolean isActive() {
        return cropPadding > 0 || horizontalFlip;
    }
}
