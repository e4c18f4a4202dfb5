package io.spikeforge.engine.data;

import java.util.Objects;

/**
 * Serves an {@link ImageSet} as float batches, epoch by epoch.
 *
 * <p>Batch {@code k} of epoch {@code e} depends only on the images, the options and {@code (e, k)}:
 * the epoch order comes from {@code (seed, e)} alone and each image's crop and flip from
 * {@code (seed, e, image index)}. A resumed run therefore sees the same batches as an
 * uninterrupted one, and the background thread's timing never changes a batch.
 *
 * <pre>{@code
 * DataLoader loader = new DataLoader(dataset.train(), LoaderOptions.training(64, seed,
 *         Augmentation.CIFAR_STANDARD, dataset.normalization()));
 * try (EpochBatches batches = loader.epoch(epoch)) {
 *     while (batches.hasNext()) {
 *         Batch batch = batches.next();
 *         ...
 *     }
 * }
 * }</pre>
 */
public final class DataLoader {
    private final ImageSet images;
    private final LoaderOptions options;
    private final BatchAssembler assembler;

    /**
     * A loader over the given images; nothing runs until a batch or an epoch is asked for.
     *
     * @throws IllegalArgumentException when the normalization's channels differ from the images', or
     *     the crop padding is more than their side
     */
    public DataLoader(ImageSet images, LoaderOptions options) {
        this.images = Objects.requireNonNull(images, "images");
        this.options = Objects.requireNonNull(options, "options");
        this.assembler = new BatchAssembler(images, options);
    }

    /** The images served. */
    public ImageSet images() {
        return images;
    }

    /** The batching options. */
    public LoaderOptions options() {
        return options;
    }

    /** Batches in every epoch (the partial last batch counts unless dropped). */
    public int batchesPerEpoch() {
        return assembler.batchesPerEpoch();
    }

    /** The order in which an epoch visits the images (indices into {@link #images()}). */
    public int[] epochOrder(int epoch) {
        return assembler.epochOrder(epoch);
    }

    /**
     * Assembles one batch in the calling thread: the same batch that {@link #epoch(int)} delivers
     * at that position. Computes the epoch order on every call, so prefer {@link #epoch(int)} to
     * go through an epoch.
     */
    public Batch batch(int epoch, int number) {
        return assembler.assemble(epoch, assembler.epochOrder(epoch), number, null);
    }

    /**
     * Starts preparing the batches of one epoch on a background thread, {@link LoaderOptions#prefetch()}
     * ahead of the consumer. Close the result to stop the thread early.
     */
    public EpochBatches epoch(int epoch) {
        int[] order = assembler.epochOrder(epoch);
        float[] scratch = new float[assembler.fullBatchFloats()]; // used by the background thread only
        return new EpochBatches(epoch, assembler.batchesPerEpoch(), options.prefetch(),
                number -> assembler.assemble(epoch, order, number, scratch));
    }
}
