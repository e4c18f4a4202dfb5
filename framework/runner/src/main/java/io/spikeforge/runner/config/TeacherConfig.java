package io.spikeforge.runner.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code teacher} section: the ANN whose knowledge the student receives.
 *
 * @param model the teacher network
 * @param weights when present, a .safetensors file or checkpoint to load instead of training the teacher
 * @param training how the teacher is trained when no weights are given
 */
public record TeacherConfig(ModelConfig model, Optional<Path> weights, TrainingConfig training) {
    public TeacherConfig {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(training, "training");
    }
}
