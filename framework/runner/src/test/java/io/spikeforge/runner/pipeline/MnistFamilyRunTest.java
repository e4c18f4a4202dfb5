package io.spikeforge.runner.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.engine.data.IdxReader;
import io.spikeforge.engine.data.Split;
import io.spikeforge.engine.io.Safetensors;
import io.spikeforge.runner.config.DistillExperiment;
import io.spikeforge.testkit.SlowTest;
import io.spikeforge.tracking.RunStatus;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run on IDX files of the MNIST family: the models take one channel of 28x28 from the data set. */
@SlowTest
class MnistFamilyRunTest {
    @TempDir
    Path dir;

    /** Gzipped IDX files whose class is a bright band at a row of its own, under light noise. */
    private static void writeIdx(Path folder, int train, int test) throws IOException {
        Files.createDirectories(folder);
        for (Split split : Split.values()) {
            int count = split == Split.TRAIN ? train : test;
            try (DataOutputStream images = gzipped(folder.resolve(IdxReader.imagesFile(split) + ".gz"));
                 DataOutputStream labels = gzipped(folder.resolve(IdxReader.labelsFile(split) + ".gz"))) {
                images.writeInt(IdxReader.IMAGES_MAGIC);
                images.writeInt(count);
                images.writeInt(28);
                images.writeInt(28);
                labels.writeInt(IdxReader.LABELS_MAGIC);
                labels.writeInt(count);
                for (int i = 0; i < count; i++) {
                    int label = i % 10;
                    labels.write(label);
                    for (int y = 0; y < 28; y++) {
                        for (int x = 0; x < 28; x++) {
                            images.write(y / 2 == label + 2 ? 230 : (i * 7 + y * 13 + x * 3) % 40);
                        }
                    }
                }
            }
        }
    }

    private static DataOutputStream gzipped(Path file) throws IOException {
        return new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(file)));
    }

    @Test
    void fashionMnistTrainsOneChannelModelsOf28By28() throws Exception {
        Path data = dir.resolve("fashion");
        writeIdx(data, 64, 32);
        DistillExperiment experiment = TinyExperiments.load(dir, data, "dataset.name=fashion-mnist",
                "dataset.augment.random_crop_padding=2");

        RunResult result = ExperimentPipeline.builder(experiment).build().run();

        assertEquals(RunStatus.FINISHED, result.status(), () -> result.error().orElse(""));
        for (String model : new String[] {"teacher", "student"}) {
            long[] stem = Safetensors.read(result.folder().resolve(model + ".safetensors")).tensors().get("conv1.weight")
                    .shape();
            assertArrayEquals(new long[] {4, 1, 3, 3}, stem, model + "'s stem takes one channel");
        }
        String config = Files.readString(result.folder().resolve("config.yaml"));
        assertTrue(config.contains("name: fashion-mnist"), config);
    }
}
