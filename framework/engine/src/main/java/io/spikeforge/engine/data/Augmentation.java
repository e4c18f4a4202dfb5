package io.spikeforge.engine.data;

/**
 * Training-time augmentation, as torchvision's {@code RandomCrop(side, padding)} followed by
 * {@code RandomHorizontalFlip()}: zero padding on every side, a random crop back to the image's
 * size, then a left-right flip with probability 1/2.
 *
 * @param cropPadding pixels of zero padding before the crop, at most the image's side
 *     ({@link DataLoader} checks); 0 disables cropping
 * @param horizontalFlip whether images are flipped with probability 1/2
 */
public record Augmentation(int cropPadding, boolean horizontalFlip) {
    /** No augmentation (evaluation). */
    public static final Augmentation NONE = new Augmentation(0, false);
    /** The usual CIFAR recipe: padding 4 and flips. */
    public static final Augmentation CIFAR_STANDARD = new Augmentation(4, true);

    public Augmentation {
        if (cropPadding < 0) {
            throw new IllegalArgumentException("cropPadding must be >= 0, got " + cropPadding);
        }
    }

    /** True when this changes images at all. */
    public boolean isActive() {
        return cropPadding > 0 || horizontalFlip;
    }
}
