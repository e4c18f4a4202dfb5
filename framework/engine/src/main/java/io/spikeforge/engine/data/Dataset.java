package io.spikeforge.engine.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A data set loaded into memory.
 *
 * @param kind which data set
 * @param folder the folder its files were read from
 * @param train the training images (after any limit)
 * @param test the test images (after any limit), of the same shape and classes
 * @param normalization the per-channel statistics of its full training set: the published values
 *     for the real sets, the values stored in the metadata for synthetic sets
 */
public record Dataset(DatasetKind kind, Path folder, ImageSet train, ImageSet test, Normalization normalization) {
    public Dataset {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(normalization, "normalization");
        if (!train.shape().equals(test.shape()) || train.classCount() != test.classCount()
                || normalization.channels() != train.shape().channels()) {
            throw new IllegalArgumentException("train " + train.shape() + " with " + train.classCount()
                    + " classes, test " + test.shape() + " with " + test.classCount() + " classes, normalization of "
                    + normalization.channels() + " channels: they must agree");
        }
    }

    /** Number of classes. */
    public int classCount() {
        return train.classCount();
    }

    /** The shape of its images. */
    public ImageShape shape() {
        return train.shape();
    }

    /** The images of a split. */
    public ImageSet images(Split split) {
        return split == Split.TRAIN ? train : test;
    }
}
