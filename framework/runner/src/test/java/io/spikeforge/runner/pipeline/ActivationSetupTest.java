package io.spikeforge.runner.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.activation.AnnActivation;
import io.spikeforge.api.activation.AnnActivationProvider;
import io.spikeforge.api.component.ParameterSchema;
import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.runner.config.TrainExperiment;
import io.spikeforge.testkit.SlowTest;
import io.spikeforge.testkit.activation.SoftClipTestActivation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A plugin activation the engine cannot use stops the run before anything trains or is written,
 * naming the model's activation slot, the plugin and the site.
 */
@SlowTest
class ActivationSetupTest {
    @TempDir
    Path dir;

    /** Makes its parameters in DOUBLE whatever the model's data type: a plugin bug. */
    private static final class DoubleOnly implements AnnActivationProvider {
        @Override
        public String id() {
            return "double-only";
        }

        @Override
        public String description() {
            return "a broken activation";
        }

        @Override
        public ParameterSchema parameters() {
            return ParameterSchema.of();
        }

        @Override
        public AnnActivation create(ResolvedParameters parameters, int channels, DataType dataType) {
            return new SoftClipTestActivation(channels, 1.0, DataType.DOUBLE);
        }
    }

    @Test
    void anActivationWithParametersOfAnotherDataTypeStopsTheRunNamingTheSlot() throws Exception {
        TrainExperiment experiment = TinyExperiments.loadTrain(dir, dir.resolve("data"), List.of(new DoubleOnly()),
                "{architecture: resnet, depth: 8, widths: [4, 8, 8], activation: double-only}");

        RunSetupException e = assertThrows(RunSetupException.class,
                () -> ExperimentPipeline.builder(experiment).build().run());

        assertTrue(e.getMessage().startsWith("model.activation: the ANN activation 'double-only' from plugin 'bundled'"
                + " 0 failed at act1 with its parameters {}: java.lang.IllegalArgumentException: "
                + "SoftClipTestActivation's parameter 'bound' is DOUBLE in a layer that works in FLOAT"), e.getMessage());
        Path runs = dir.resolve("runs");
        try (Stream<Path> files = Files.exists(runs) ? Files.list(runs) : Stream.empty()) {
            assertEquals(List.of(), files.toList(), "nothing written");
        }
    }
}
