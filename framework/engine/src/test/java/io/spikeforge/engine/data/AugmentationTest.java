package io.spikeforge.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class AugmentationTest {
    private static final int SIDE = 32;
    private static final ImageShape SHAPE = ImageShape.RGB_32;
    private static final int IMAGE_BYTES = SHAPE.imageBytes();
    private static final int PLANE = SHAPE.plane();

    /** Every image: red = 8 x, green = 8 y, blue = 255, so each pixel says where it came from. */
    private static ImageSet positionImages(int count) {
        byte[] pixels = new byte[count * IMAGE_BYTES];
        for (int i = 0; i < count; i++) {
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    int p = i * IMAGE_BYTES + y * SIDE + x;
                    pixels[p] = (byte) (8 * x);
                    pixels[p + PLANE] = (byte) (8 * y);
                    pixels[p + 2 * PLANE] = (byte) 255;
                }
            }
        }
        return new ImageSet(SHAPE, pixels, new int[count], 1);
    }

    private static float[] batchValues(ImageSet images, Augmentation augmentation, Normalization normalization) {
        LoaderOptions options = new LoaderOptions(images.size(), false, false, 11, augmentation, normalization, 2);
        Batch batch = new DataLoader(images, options).batch(0, 0);
        assertArrayEquals(new long[] {images.size(), 3, SIDE, SIDE}, batch.images().shape());
        assertEquals(DataType.FLOAT, batch.images().dataType());
        return batch.images().data().asFloat();
    }

    /** The byte value behind a unit-range float. */
    private static int byteAt(float[] values, int image, int channel, int y, int x) {
        return Math.round(values[image * IMAGE_BYTES + channel * PLANE + y * SIDE + x] * 255f);
    }

    @Test
    void cropShiftsContentWithinThePaddingAndFillsTheRestWithZeros() {
        int count = 64;
        float[] values = batchValues(positionImages(count), new Augmentation(4, false), Normalization.unitRange(3));
        Set<Integer> rowShifts = new TreeSet<>();
        Set<Integer> columnShifts = new TreeSet<>();
        for (int i = 0; i < count; i++) {
            int[] shift = findShift(values, i, false);
            assertShiftedImage(values, i, shift[0], shift[1], false);
            rowShifts.add(shift[0]);
            columnShifts.add(shift[1]);
        }
        Set<Integer> allOffsets = Set.of(-4, -3, -2, -1, 0, 1, 2, 3, 4);
        assertEquals(allOffsets, rowShifts, "every vertical offset within the padding, and no other");
        assertEquals(allOffsets, columnShifts, "every horizontal offset within the padding, and no other");
    }

    @Test
    void flipMirrorsAboutHalfOfTheImages() {
        int count = 200;
        float[] values = batchValues(positionImages(count), new Augmentation(0, true), Normalization.unitRange(3));
        int flipped = 0;
        for (int i = 0; i < count; i++) {
            boolean mirrored = byteAt(values, i, 0, 0, 0) == 8 * 31;
            assertShiftedImage(values, i, 0, 0, mirrored);
            flipped += mirrored ? 1 : 0;
        }
        assertTrue(flipped > 60 && flipped < 140, flipped + " of 200 flipped");
    }

    @Test
    void cropAndFlipTogetherGiveAShiftedPossiblyMirroredImage() {
        int count = 100;
        float[] values = batchValues(positionImages(count), Augmentation.CIFAR_STANDARD, Normalization.unitRange(3));
        int flipped = 0;
        for (int i = 0; i < count; i++) {
            int[] unflipped = findShift(values, i, false);
            int[] mirrored = findShift(values, i, true);
            boolean isFlipped = !consistent(values, i, unflipped[0], unflipped[1], false);
            int[] shift = isFlipped ? mirrored : unflipped;
            assertShiftedImage(values, i, shift[0], shift[1], isFlipped);
            flipped += isFlipped ? 1 : 0;
        }
        assertTrue(flipped > 25 && flipped < 75, flipped + " of 100 flipped");
    }

    @Test
    void paddingIsZeroBeforeNormalization() {
        float[] values = batchValues(positionImages(32), new Augmentation(4, false), Normalization.CIFAR10);
        double[] mean = Normalization.CIFAR10.mean();
        double[] std = Normalization.CIFAR10.std();
        int padded = 0;
        for (int i = 0; i < 32; i++) {
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    int p = i * IMAGE_BYTES + y * SIDE + x;
                    float blue = values[p + 2 * PLANE];
                    if (Math.abs(blue - (float) ((1 - mean[2]) / std[2])) > 1e-5) {
                        padded++;
                        for (int c = 0; c < 3; c++) {
                            assertEquals((float) (-mean[c] / std[c]), values[p + c * PLANE], 1e-6f);
                        }
                    }
                }
            }
        }
        assertTrue(padded > 0, "some crops reach into the padding");
    }

    @Test
    void normalizationIsExactPerChannel() {
        int count = 3;
        byte[] pixels = new byte[count * IMAGE_BYTES];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 31 + i / 1000);
        }
        ImageSet images = new ImageSet(SHAPE, pixels, new int[count], 1);
        Normalization normalization = new Normalization(new double[] {0.1, 0.5, 0.9}, new double[] {0.2, 0.3, 0.4});

        float[] values = batchValues(images, Augmentation.NONE, normalization);

        for (int i = 0; i < pixels.length; i++) {
            int channel = (i % IMAGE_BYTES) / PLANE;
            double expected = ((pixels[i] & 0xFF) / 255.0 - normalization.mean()[channel]) / normalization.std()[channel];
            assertEquals(expected, values[i], 1e-6, "value " + i);
        }
    }

    @Test
    void channelStatisticsArePopulationMeanAndStd() {
        byte[] pixels = new byte[2 * IMAGE_BYTES];
        fillPlane(pixels, 0, 0, 0);
        fillPlane(pixels, 0, 1, 0);
        fillPlane(pixels, 0, 2, 51);
        fillPlane(pixels, 1, 0, 255);
        fillPlane(pixels, 1, 1, 102);
        fillPlane(pixels, 1, 2, 153);

        Normalization statistics = Normalization.of(new ImageSet(SHAPE, pixels, new int[2], 1));

        assertArrayEquals(new double[] {0.5, 0.2, 0.4}, statistics.mean(), 1e-12);
        assertArrayEquals(new double[] {0.5, 0.2, 0.2}, statistics.std(), 1e-12);
    }

    @Test
    void augmentationDependsOnSeedEpochAndImageOnly() {
        ImageSet images = positionImages(16);
        LoaderOptions options = new LoaderOptions(16, false, false, 5, Augmentation.CIFAR_STANDARD,
                Normalization.unitRange(3), 2);
        DataLoader loader = new DataLoader(images, options);
        float[] epoch2 = loader.batch(2, 0).images().data().asFloat();

        assertArrayEquals(epoch2, new DataLoader(images, options).batch(2, 0).images().data().asFloat());
        assertFalse(Arrays.equals(epoch2, loader.batch(3, 0).images().data().asFloat()), "another epoch");
        LoaderOptions otherSeed = new LoaderOptions(16, false, false, 6, Augmentation.CIFAR_STANDARD,
                Normalization.unitRange(3), 2);
        assertFalse(Arrays.equals(epoch2, new DataLoader(images, otherSeed).batch(2, 0).images().data().asFloat()),
                "another seed");
    }

    private static void fillPlane(byte[] pixels, int image, int channel, int value) {
        int start = image * IMAGE_BYTES + channel * PLANE;
        Arrays.fill(pixels, start, start + PLANE, (byte) value);
    }

    /** The (dy, dx) by which a pixel inside the image was displaced, read from its position code. */
    private static int[] findShift(float[] values, int image, boolean flipped) {
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                if (byteAt(values, image, 2, y, x) == 255) {
                    int column = flipped ? SIDE - 1 - x : x;
                    return new int[] {byteAt(values, image, 1, y, x) / 8 - y, byteAt(values, image, 0, y, x) / 8 - column};
                }
            }
        }
        throw new AssertionError("image " + image + " is all padding");
    }

    private static boolean consistent(float[] values, int image, int dy, int dx, boolean flipped) {
        try {
            assertShiftedImage(values, image, dy, dx, flipped);
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }

    /** Output (y, x) shows source (y + dy, c + dx), c the crop column (mirrored when flipped), or zeros outside. */
    private static void assertShiftedImage(float[] values, int image, int dy, int dx, boolean flipped) {
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                int sourceY = y + dy;
                int sourceX = (flipped ? SIDE - 1 - x : x) + dx;
                boolean inside = sourceY >= 0 && sourceY < SIDE && sourceX >= 0 && sourceX < SIDE;
                String where = "image " + image + " (" + y + ", " + x + ")";
                assertEquals(inside ? 8 * sourceX : 0, byteAt(values, image, 0, y, x), where);
                assertEquals(inside ? 8 * sourceY : 0, byteAt(values, image, 1, y, x), where);
                assertEquals(inside ? 255 : 0, byteAt(values, image, 2, y, x), where);
            }
        }
    }
}
