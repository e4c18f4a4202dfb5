package io.spikeforge.engine.data;

/**
 * The shape of the images of a data set: square, {@code channels} planes of {@code side} rows of
 * {@code side} pixels, one unsigned byte per pixel and channel.
 *
 * @param channels colour channels: 3 (red, green, blue) or 1 (grey)
 * @param side height and width in pixels
 */
public record ImageShape(int channels, int side) {
    /** 32x32 RGB: CIFAR-10, CIFAR-100 and the synthetic sets. */
    public static final ImageShape RGB_32 = new ImageShape(3, 32);
    /** 28x28 grey: the MNIST family. */
    public static final ImageShape GREY_28 = new ImageShape(1, 28);

    public ImageShape {
        if (channels < 1 || side < 1) {
            throw new IllegalArgumentException("channels and side must be >= 1, got " + channels + " and " + side);
        }
    }

    /** Pixels in one channel plane. */
    public int plane() {
        return side * side;
    }

    /** Bytes per image: all planes. */
    public int imageBytes() {
        return channels * plane();
    }

    /** {@code 3x32x32}: channels, height, width. */
    @Override
    public String toString() {
        return channels + "x" + side + "x" + side;
    }
}
