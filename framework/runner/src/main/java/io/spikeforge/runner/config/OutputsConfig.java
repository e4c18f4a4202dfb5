package io.spikeforge.runner.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The {@code outputs} section.
 *
 * @param dir where run folders are created, as written (relative to the current working directory)
 * @param checkpointEvery epochs between checkpoints, {@code >= 1}
 */
public record OutputsConfig(Path dir, int checkpointEvery) {
    public OutputsConfig {
        Objects.requireNonNull(dir, "dir");
    }
}
