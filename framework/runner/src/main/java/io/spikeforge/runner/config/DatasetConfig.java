package io.spikeforge.runner.config;

import io.spikeforge.engine.data.DatasetKind;
import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The {@code dataset} section.
 *
 * @param name which data set (the registry entry)
 * @param path the folder with its binary files, as written: a relative path resolves against the
 *     current working directory (not the experiment file's folder)
 * @param augment training-time augmentation
 * @param normalize whether images are normalized per channel
 * @param trainLimit when present, only the first N training images are used
 * @param testLimit when present, only the first N test images are used
 */
public record DatasetConfig(DatasetKind name, Path path, AugmentConfig augment, boolean normalize,
                            OptionalInt trainLimit, OptionalInt testLimit) {
    public DatasetConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(augment, "augment");
        Objects.requireNonNull(trainLimit, "trainLimit");
        Objects.requireNonNull(testLimit, "testLimit");
    }
}
