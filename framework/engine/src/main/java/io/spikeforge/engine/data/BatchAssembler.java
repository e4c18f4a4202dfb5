package io.spikeforge.engine.data;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns images into float batches: epoch order, crop, flip and normalization. Stateless after
 * construction, so any thread may assemble any batch and get the same result.
 */
final class BatchAssembler {
    /** Purposes of the random streams, so that shuffling and augmentation never share one. */
    private static final long SHUFFLE_STREAM = 1;
    private static final long AUGMENT_STREAM = 2;

    private final ImageSet images;
    private final ImageShape shape;
    private final LoaderOptions options;
    private final float[][] lookupTables;

    /** @throws IllegalArgumentException when the options do not fit the images' shape */
    BatchAssembler(ImageSet images, LoaderOptions options) {
        this.images = images;
        this.shape = images.shape();
        this.options = options;
        if (options.normalization().channels() != shape.channels()) {
            throw new IllegalArgumentException("the normalization has " + options.normalization().channels()
                    + " channels, the images " + shape.channels() + " (" + shape + ")");
        }
        if (options.augmentation().cropPadding() > shape.side()) {
            throw new IllegalArgumentException("crop padding " + options.augmentation().cropPadding()
                    + " is more than the images' side of " + shape.side() + " pixels");
        }
        this.lookupTables = options.normalization().lookupTables();
    }

    int batchesPerEpoch() {
        int n = images.size();
        int size = options.batchSize();
        return options.dropLast() ? n / size : (n + size - 1) / size;
    }

    /** Floats in a full batch: the size of the scratch buffer worth reusing. */
    int fullBatchFloats() {
        return options.batchSize() * shape.imageBytes();
    }

    int[] epochOrder(int epoch) {
        if (!options.shuffle()) {
            int[] order = new int[images.size()];
            Arrays.setAll(order, i -> i);
            return order;
        }
        return SeededRandom.of(options.seed(), SHUFFLE_STREAM, epoch).permutation(images.size());
    }

    /**
     * Assembles batch {@code number} of an epoch whose order is given.
     *
     * @param scratch a float buffer to fill when it has exactly the batch's size, else one is allocated;
     *     the batch array is a copy, so the buffer may be reused at once
     */
    Batch assemble(int epoch, int[] order, int number, float[] scratch) {
        if (number < 0 || number >= batchesPerEpoch()) {
            throw new IndexOutOfBoundsException("batch " + number + " of " + batchesPerEpoch());
        }
        int start = number * options.batchSize();
        int size = Math.min(options.batchSize(), order.length - start);
        int imageBytes = shape.imageBytes();
        float[] data = scratch != null && scratch.length == size * imageBytes ? scratch : new float[size * imageBytes];
        int[] labels = new int[size];
        int[] indices = Arrays.copyOfRange(order, start, start + size);
        for (int b = 0; b < size; b++) {
            labels[b] = images.label(indices[b]);
            writeImage(indices[b], epoch, data, b * imageBytes);
        }
        INDArray array = Nd4j.create(data, new long[] {size, shape.channels(), shape.side(), shape.side()}, 'c');
        return new Batch(array, labels, indices, epoch, number);
    }

    private void writeImage(int image, int epoch, float[] out, int offset) {
        Augmentation augmentation = options.augmentation();
        int padding = augmentation.cropPadding();
        int shiftY = 0;
        int shiftX = 0;
        boolean flip = false;
        if (augmentation.isActive()) {
            SeededRandom random = SeededRandom.of(options.seed(), AUGMENT_STREAM, epoch, image);
            if (padding > 0) {
                // torchvision draws the crop's top, then its left, within the padded image
                shiftY = random.nextInt(2 * padding + 1) - padding;
                shiftX = random.nextInt(2 * padding + 1) - padding;
            }
            flip = augmentation.horizontalFlip() && random.nextBoolean();
        }
        byte[] pixels = images.pixelData();
        int side = shape.side();
        int last = side - 1;
        for (int c = 0; c < shape.channels(); c++) {
            float[] table = lookupTables[c];
            int sourcePlane = image * shape.imageBytes() + c * shape.plane();
            int targetPlane = offset + c * shape.plane();
            for (int y = 0; y < side; y++) {
                int targetRow = targetPlane + y * side;
                int sourceY = y + shiftY;
                if (sourceY < 0 || sourceY > last) {
                    Arrays.fill(out, targetRow, targetRow + side, table[0]);
                    continue;
                }
                int sourceRow = sourcePlane + sourceY * side;
                for (int x = 0; x < side; x++) {
                    // the flip mirrors the cropped image, so it picks the crop column first
                    int sourceX = (flip ? last - x : x) + shiftX;
                    out[targetRow + x] = sourceX < 0 || sourceX > last ? table[0] : table[pixels[sourceRow + sourceX] & 0xFF];
                }
            }
        }
    }
}
