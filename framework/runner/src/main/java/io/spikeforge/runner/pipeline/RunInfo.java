package io.spikeforge.runner.pipeline;

import io.spikeforge.runner.config.Experiment;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A run that has just started: its folder exists and holds {@code config.yaml}.
 *
 * @param experiment the resolved experiment
 * @param folder the run folder
 * @param classes classes of the data set
 * @param trainImages training images used
 * @param testImages test images used
 * @param resumedAt for a resumed run, where it continues, such as {@code student after epoch 2 of 3}
 */
public record RunInfo(Experiment experiment, Path folder, int classes, int trainImages, int testImages,
                      Optional<String> resumedAt) {
    public RunInfo {
        Objects.requireNonNull(experiment, "experiment");
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(resumedAt, "resumedAt");
    }

    /** A run that starts from the beginning. */
    public RunInfo(Experiment experiment, Path folder, int classes, int trainImages, int testImages) {
        this(experiment, folder, classes, trainImages, testImages, Optional.empty());
    }
}
