package io.spikeforge.runner.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.runner.config.ConvertExperiment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory a {@code convert} run is estimated to need: the converted network keeps one
 * time-step's state whatever T, the calibration grows with its batches and time-steps, and
 * ResNet-110 on CIFAR evaluated to T=64 fits a 24 GB machine.
 */
class ConvertMemoryTest {
    private static final double GIB = 1024.0 * 1024 * 1024;

    @TempDir
    Path dir;

    private ConvertExperiment experiment(String... overrides) throws Exception {
        Path file = Files.writeString(dir.resolve("convert.yaml"), """
                kind: convert
                experiment: {name: deep}
                dataset: {name: cifar100, path: %s}
                model: {architecture: resnet, depth: 110}
                training: {batch_size: 128}
                conversion: {thresholds: percentile, time_steps: [1, 2, 4, 8, 16, 32, 64]}
                """.formatted(dir.resolve("cifar-100-binary")));
        return (ConvertExperiment) TinyExperiments.loader(List.of(TestThresholdStrategies.percentile()))
                .load(file, List.of(overrides));
    }

    @Test
    void theEstimateHasTheAnnTheConvertedNetworkTheCalibrationAndTheLoader() throws Exception {
        ExperimentMemory memory = ExperimentMemory.expected(experiment());
        assertEquals(List.of("ann", "snn", "calibration", "data loader"),
                memory.parts().stream().map(ExperimentMemory.Part::name).toList());
        assertTrue(memory.parts().get(2).keys().contains("conversion.calibration_batches 10"),
                memory.parts().get(2).keys());
        assertTrue(memory.total().totalBytes() < 24 * GIB, "ResNet-110 to T=64 within 24 GB: " + memory.total());
    }

    @Test
    void theConvertedNetworkNeedsTheSameWhateverTAndTheCalibrationGrowsWithItsSteps() throws Exception {
        ExperimentMemory few = ExperimentMemory.expected(experiment("conversion.time_steps=[1, 2]"));
        ExperimentMemory many = ExperimentMemory.expected(experiment("conversion.time_steps=[1, 2, 512]"));
        assertEquals(few.parts().get(1).estimate(), many.parts().get(1).estimate());
        assertEquals(few.total(), many.total());

        ExperimentMemory longer = ExperimentMemory.expected(experiment("conversion.calibration_time_steps=64"));
        assertTrue(longer.parts().get(2).estimate().totalBytes() > few.parts().get(2).estimate().totalBytes());

        ExperimentMemory loaded = ExperimentMemory.expected(experiment("weights=ann.safetensors"));
        assertEquals(0, loaded.parts().get(0).estimate().optimizerBytes(), "a loaded ANN is not trained");
        assertTrue(few.parts().get(0).estimate().optimizerBytes() > 0);
        assertEquals(0, few.parts().get(1).estimate().optimizerBytes(), "the converted network is not trained");
    }
}
