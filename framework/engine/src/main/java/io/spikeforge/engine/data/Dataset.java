package io.spikeforge.engine.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A data set loaded into memory.
 *
 * @param kind where it came from
 * @param folder the folder its files were read from
 * @param layout the binary layout of its files
 * @param train the training images (after any limit)
 * @param test the test images (after any limit)
 * @param normalization the per-channel statistics of its full training set: the published values
 *     for CIFAR, the values stored in the metadata for synthetic sets
 */
public record Dataset(DatasetKind kind, Path folder, CifarLayout layout, ImageSet train, ImageSet test,
                      Normalization normalization) {
    public Dataset {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(normalization, "normalization");
    }

    /** Number of classes. */
    public int classCount() {
        return layout.classCount();
    }

    /** The images of a split. */
    public ImageSet images(Split split) {
        return split == Split.TRAIN ? train : test;
    }
}
