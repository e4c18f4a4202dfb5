package io.spikeforge.runner.pipeline;

import io.spikeforge.runner.config.Experiment;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A run that has just started: its folder exists and holds {@code config.yaml}.
 *
 * @param experiment the resolved experiment
 * @param folder the run folder
 * @param classes classes of the data set
 * @param trainImages training images used
 * @param testImages test images used
 */
public record RunInfo(Experiment experiment, Path folder, int classes, int trainImages, int testImages) {
    public RunInfo {
        Objects.requireNonNull(experiment, "experiment");
        Objects.requireNonNull(folder, "folder");
    }
}
