package io.spikeforge.runner.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.engine.data.ImageShape;
import io.spikeforge.engine.tensor.MemoryBudget;
import io.spikeforge.engine.tensor.MemoryEstimate;
import io.spikeforge.runner.config.DistillExperiment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memory check of an experiment, before its data set is made and its models are built. */
class ExperimentMemoryTest {
    @TempDir
    Path dir;

    private DistillExperiment tiny(String... overrides) throws Exception {
        return TinyExperiments.load(dir, dir.resolve("data"), overrides);
    }

    @Test
    void absurdWidthsAreRefusedNamingTheKeysBeforeTheDataSetOrARunFolderIsMade() throws Exception {
        DistillExperiment absurd = tiny("teacher.model.widths=[16, 32, 1000000]");

        ExperimentTooLargeException e = assertThrows(ExperimentTooLargeException.class,
                () -> ExperimentPipeline.builder(absurd).build().run());

        String message = e.getMessage();
        assertTrue(message.startsWith("the experiment needs about "), message);
        assertTrue(message.contains("more than this process may still take: "), message);
        assertTrue(message.contains("maxphysicalbytes"), message);
        assertTrue(message.contains("teacher (teacher.model.widths [16, 32, 1000000], teacher.model.blocks_per_stage"
                + " [1, 1, 1], teacher.training.batch_size 32): "), message);
        assertTrue(message.contains("make the teacher smaller (teacher.model.widths [16, 32, 1000000]"), message);
        assertFalse(Files.exists(dir.resolve("data")), "no synthetic set generated");
        assertFalse(Files.exists(dir.resolve("runs")), "no run folder");
    }

    @Test
    void anAbsurdBatchIsRefusedNamingTheBatchKey() throws Exception {
        ExperimentTooLargeException e = assertThrows(ExperimentTooLargeException.class,
                () -> ExperimentMemory.of(tiny("training.batch_size=100000000"), ImageShape.RGB_32, 10, OptionalInt.empty(),
                        OptionalInt.empty()).require(MemoryBudget.current()));

        assertTrue(e.getMessage().contains("make the student smaller (student.model.widths [4, 8, 8],"
                + " student.model.blocks_per_stage [1, 1, 1], student.model.timesteps 2, training.batch_size"
                + " 100000000)"), e.getMessage());
    }

    @Test
    void theEstimateAddsBothModelsEverySmallerLastBatchAndTheLoader() throws Exception {
        DistillExperiment experiment = tiny();
        ExperimentMemory known = ExperimentMemory.of(experiment, ImageShape.RGB_32, 10, OptionalInt.of(70), OptionalInt.of(40));
        ExperimentMemory dividing = ExperimentMemory.of(experiment, ImageShape.RGB_32, 10, OptionalInt.of(64), OptionalInt.of(32));

        assertEquals(3, known.parts().size());
        assertEquals(known.total().totalBytes(), known.parts().stream()
                .mapToDouble(p -> p.estimate().totalBytes()).sum(), 1);
        // last batches of 6 training and 8 test images add buffers of their own
        assertTrue(known.total().activationBytes() > dividing.total().activationBytes());
        MemoryEstimate loaded = ExperimentMemory.of(tiny("teacher.weights=t.safetensors"), ImageShape.RGB_32, 10, OptionalInt.of(64),
                OptionalInt.of(32)).parts().get(0).estimate();
        assertEquals(0, loaded.optimizerBytes(), "a loaded teacher is not trained");
        assertTrue(dividing.parts().get(0).estimate().optimizerBytes() > 0);
        ExperimentMemory.expected(experiment).require(MemoryBudget.current());
    }

    @Test
    void theImagesOfTheDataSetSizeTheEstimate() throws Exception {
        DistillExperiment experiment = tiny();
        MemoryEstimate rgb = ExperimentMemory.of(experiment, ImageShape.RGB_32, 10, OptionalInt.of(64),
                OptionalInt.of(32)).total();
        MemoryEstimate grey = ExperimentMemory.of(experiment, ImageShape.GREY_28, 10, OptionalInt.of(64),
                OptionalInt.of(32)).total();

        assertTrue(grey.activationBytes() < rgb.activationBytes() * 0.8, grey + " vs " + rgb);
        assertEquals(grey.totalBytes(), ExperimentMemory.expected(tiny("dataset.name=fashion-mnist",
                "dataset.train_limit=1000000", "dataset.test_limit=1000000")).total().totalBytes(), 1,
                "validate's estimate takes the shape from the registry");
    }
}
