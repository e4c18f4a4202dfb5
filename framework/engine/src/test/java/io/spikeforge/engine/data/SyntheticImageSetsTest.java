package io.spikeforge.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.engine.data.CifarReader.FileRecords;
import io.spikeforge.testkit.SlowTest;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SlowTest
class SyntheticImageSetsTest {
    @TempDir
    Path temp;

    @Test
    void sameSeedGivesIdenticalFilesAndAnotherSeedDifferentOnes() throws IOException {
        SyntheticSpec spec = new SyntheticSpec(10, 60, 20, 42);
        SyntheticImageSets.generate(spec, temp.resolve("a"), GenerationProgress.NONE);
        SyntheticImageSets.generate(spec, temp.resolve("b"), GenerationProgress.NONE);
        SyntheticImageSets.generate(new SyntheticSpec(10, 60, 20, 43), temp.resolve("c"), GenerationProgress.NONE);

        Map<String, byte[]> a = contents(temp.resolve("a"));
        Map<String, byte[]> b = contents(temp.resolve("b"));
        Map<String, byte[]> c = contents(temp.resolve("c"));
        assertEquals(List.of("README.txt", "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
                "data_batch_4.bin", "data_batch_5.bin", "synthetic.properties", "test_batch.bin"), List.copyOf(a.keySet()));
        for (String name : a.keySet()) {
            assertArrayEquals(a.get(name), b.get(name), name + " differs between two runs with the same seed");
        }
        for (String name : List.of("data_batch_1.bin", "data_batch_5.bin", "test_batch.bin")) {
            assertFalse(Arrays.equals(a.get(name), c.get(name)), name + " is the same for seeds 42 and 43");
        }
    }

    @Test
    void filesReadBackAsTheImagesRenderedInMemory() throws IOException {
        SyntheticSpec spec = new SyntheticSpec(10, 23, 7, 5);
        SyntheticMetadata metadata = SyntheticImageSets.generate(spec, temp, GenerationProgress.NONE);

        Dataset dataset = Datasets.load(DatasetKind.SYNTHETIC, temp, OptionalInt.empty(), OptionalInt.empty());

        assertEquals(10, dataset.classCount());
        assertEquals(ImageShape.RGB_32, dataset.shape());
        assertEquals(List.of(5, 5, 5, 4, 4), metadata.trainFiles().stream().map(FileRecords::records).toList());
        for (Split split : Split.values()) {
            ImageSet expected = SyntheticImageSets.images(spec, split);
            ImageSet actual = dataset.images(split);
            assertArrayEquals(expected.labels(), actual.labels(), split + " labels");
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(expected.image(i), actual.image(i), split + " image " + i);
            }
        }
        assertEquals(Normalization.of(dataset.train()), dataset.normalization(), "statistics of the training set");
        assertEquals(metadata, SyntheticMetadata.read(temp));
    }

    @Test
    void hundredClassesUseTheCifar100LayoutWithCoarseLabels() throws IOException {
        SyntheticImageSets.generate(new SyntheticSpec(100, 250, 100, 3), temp, GenerationProgress.NONE);

        assertEquals(List.of("README.txt", "synthetic.properties", "test.bin", "train.bin"),
                List.copyOf(contents(temp).keySet()));
        byte[] train = Files.readAllBytes(temp.resolve("train.bin"));
        assertEquals(250 * 3074, train.length);
        Dataset dataset = Datasets.load(DatasetKind.SYNTHETIC, temp, OptionalInt.empty(), OptionalInt.of(40));
        assertEquals(100, dataset.classCount());
        assertEquals(40, dataset.test().size());
        for (int i = 0; i < 250; i++) {
            int fine = train[i * 3074 + 1] & 0xFF;
            assertEquals(dataset.train().label(i), fine);
            assertEquals(fine / 5, train[i * 3074] & 0xFF, "coarse label of record " + i);
        }
    }

    @Test
    void classesAreBalanced() {
        for (int classes : new int[] {10, 100}) {
            ImageSet images = SyntheticImageSets.images(new SyntheticSpec(classes, 1234, 0, 9), Split.TRAIN);
            int[] counts = images.classCounts();
            int min = Arrays.stream(counts).min().orElseThrow();
            int max = Arrays.stream(counts).max().orElseThrow();
            assertTrue(max - min <= 1, classes + " classes: counts " + Arrays.toString(counts));
        }
    }

    @Test
    void labelsAreShuffledNotInBlocks() {
        int[] labels = SyntheticImageSets.images(new SyntheticSpec(10, 200, 0, 1), Split.TRAIN).labels();
        int[] cyclic = new int[200];
        Arrays.setAll(cyclic, i -> i % 10);
        assertFalse(Arrays.equals(cyclic, labels));
        int[] sorted = labels.clone();
        Arrays.sort(sorted);
        assertFalse(Arrays.equals(sorted, labels));
    }

    /**
     * A nearest-class-mean classifier on raw pixels must find the classes but be far from solving
     * them: the content is class-defined, the nuisance real. (It scores 0.26 to 0.28 here over
     * several seeds; chance is 0.1.)
     */
    @Test
    void classesAreDistinguishableButNotTrivially() {
        SyntheticSpec spec = new SyntheticSpec(10, 1000, 500, 2024);
        double accuracy = nearestClassMeanAccuracy(SyntheticImageSets.images(spec, Split.TRAIN),
                SyntheticImageSets.images(spec, Split.TEST));
        assertTrue(accuracy > 0.15 && accuracy < 0.6, "nearest-class-mean accuracy " + accuracy + ", chance 0.1");
    }

    @Test
    void trainAndTestImagesDiffer() {
        SyntheticSpec spec = new SyntheticSpec(10, 50, 50, 8);
        ImageSet train = SyntheticImageSets.images(spec, Split.TRAIN);
        ImageSet test = SyntheticImageSets.images(spec, Split.TEST);
        for (int i = 0; i < 50; i++) {
            assertFalse(Arrays.equals(train.image(i), test.image(i)), "image " + i);
        }
    }

    @Test
    void interruptedGenerationLeavesTheEarlierSetIntactAndNoPartialFiles() throws IOException {
        SyntheticImageSets.generate(new SyntheticSpec(10, 30, 10, 1), temp, GenerationProgress.NONE);
        Map<String, byte[]> before = contents(temp);

        RuntimeException stop = new RuntimeException("interrupted");
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> SyntheticImageSets.generate(
                new SyntheticSpec(10, 2000, 10, 2), temp, (done, total) -> {
                    if (done >= 512) {
                        throw stop;
                    }
                }));

        assertEquals(stop, thrown);
        Map<String, byte[]> after = contents(temp);
        assertEquals(before.keySet(), after.keySet(), "no partial files are left");
        for (String name : before.keySet()) {
            assertArrayEquals(before.get(name), after.get(name), name);
        }
    }

    @Test
    void aNewSetReplacesAnEarlierOneOfTheOtherLayout() throws IOException {
        SyntheticImageSets.generate(new SyntheticSpec(10, 30, 10, 1), temp, GenerationProgress.NONE);
        SyntheticImageSets.generate(new SyntheticSpec(100, 30, 10, 1), temp, GenerationProgress.NONE);

        assertEquals(List.of("README.txt", "synthetic.properties", "test.bin", "train.bin"),
                List.copyOf(contents(temp).keySet()));
    }

    @Test
    void folderWithOtherFilesIsRefusedUntouched() throws IOException {
        Files.writeString(temp.resolve("notes.txt"), "mine");

        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class, () ->
                SyntheticImageSets.generate(new SyntheticSpec(10, 10, 10, 1), temp, GenerationProgress.NONE));

        assertTrue(e.getMessage().contains("notes.txt"), e.getMessage());
        assertEquals(List.of("notes.txt"), List.copyOf(contents(temp).keySet()));
    }

    /**
     * The real CIFAR-10 files (here: records in their format, at their real sizes) were taken for an
     * earlier synthetic set by their names and replaced.
     */
    @Test
    void cifarFilesThatSpikeforgeDidNotWriteAreNeverReplaced() throws IOException {
        Path cifar = Files.createDirectories(temp.resolve("cifar-10-batches-bin"));
        List<String> names = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                "data_batch_5.bin", "test_batch.bin");
        for (int i = 0; i < names.size(); i++) {
            new CifarRecords().add(i, i).add(i + 1, 9 - i).writeTo(cifar.resolve(names.get(i)), 30_730_000L);
        }
        Map<String, byte[]> before = contents(cifar);

        ForeignFilesException e = assertThrows(ForeignFilesException.class, () -> SyntheticImageSets.generate(
                new SyntheticSpec(10, 20, 10, 1), cifar, GenerationProgress.NONE));

        assertEquals(cifar + ": holds files that Spikeforge did not write (data_batch_1.bin, data_batch_2.bin,"
                + " data_batch_3.bin, ...); it never replaces or deletes them", e.getMessage());
        assertEquals(names, e.files());
        assertUnchanged(before, cifar);
    }

    /** The metadata proves nothing by its name: its checksums must match the files. */
    @Test
    void aCopiedMetadataFileDoesNotMakeOtherFilesSpikeforges() throws IOException {
        Path set = temp.resolve("set");
        SyntheticImageSets.generate(new SyntheticSpec(10, 10, 10, 1), set, GenerationProgress.NONE);
        Path mine = Files.createDirectories(temp.resolve("mine"));
        Files.copy(set.resolve(SyntheticMetadata.FILE_NAME), mine.resolve(SyntheticMetadata.FILE_NAME));
        Files.copy(set.resolve("README.txt"), mine.resolve("README.txt"));
        for (String name : List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                "data_batch_5.bin", "test_batch.bin")) {
            CifarRecords records = new CifarRecords();
            for (int i = 0; i < Files.size(set.resolve(name)) / 3073; i++) {
                records.add(i, 3);
            }
            records.writeTo(mine.resolve(name));
            assertEquals(Files.size(set.resolve(name)), Files.size(mine.resolve(name)), "same size as the set's");
        }
        Map<String, byte[]> before = contents(mine);

        ForeignFilesException e = assertThrows(ForeignFilesException.class, () -> SyntheticImageSets.generate(
                new SyntheticSpec(10, 10, 10, 1), mine, GenerationProgress.NONE));

        assertEquals(List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                "data_batch_5.bin", "test_batch.bin"), e.files(), "the copied metadata and README are Spikeforge's");
        assertUnchanged(before, mine);
    }

    @Test
    void aFileOfASetThatTheUserReplacedIsRefusedWithTheRest() throws IOException {
        SyntheticImageSets.generate(new SyntheticSpec(10, 10, 10, 1), temp, GenerationProgress.NONE);
        Path test = temp.resolve("test_batch.bin");
        byte[] users = Files.readAllBytes(test);
        users[1] ^= 1;
        Files.write(test, users);
        Map<String, byte[]> before = contents(temp);

        ForeignFilesException e = assertThrows(ForeignFilesException.class, () -> SyntheticImageSets.generate(
                new SyntheticSpec(10, 10, 10, 1), temp, GenerationProgress.NONE));

        assertEquals(List.of("test_batch.bin"), e.files());
        assertUnchanged(before, temp);
    }

    /**
     * A generation killed (SIGKILL) in the middle leaves its record and temporary files; the next one
     * removes exactly those (by the record's token, not by their names: a file named like them
     * that is not the record's stops it) and writes the set as an uninterrupted one does.
     */
    @Test
    void aKilledGenerationIsCleanedUpByTheNextOne() throws Exception {
        SyntheticSpec spec = new SyntheticSpec(10, 1500, 200, 7);
        Path folder = temp.resolve("killed");
        SyntheticGenerationProcess.killHalfway(folder, spec);

        List<String> left = List.copyOf(contents(folder).keySet());
        assertTrue(left.contains(SyntheticGeneration.FILE_NAME), "the record stays: " + left);
        assertTrue(left.stream().anyMatch(name -> name.endsWith(".partial")), "a temporary file stays: " + left);
        assertFalse(left.contains(SyntheticMetadata.FILE_NAME), left::toString);
        assertTrue(SyntheticImageSets.hasUnfinishedGeneration(folder));
        Path lookalike = folder.resolve("data_batch_1.bin.0123456789abcdef.partial");
        Files.writeString(lookalike, "mine");

        ForeignFilesException e = assertThrows(ForeignFilesException.class,
                () -> SyntheticImageSets.generate(spec, folder, GenerationProgress.NONE));
        assertEquals(List.of(lookalike.getFileName().toString()), e.files());
        assertEquals(left.size() + 1, contents(folder).size(), "nothing was removed");

        Files.delete(lookalike);
        SyntheticImageSets.generate(spec, folder, GenerationProgress.NONE);
        SyntheticImageSets.generate(spec, temp.resolve("uninterrupted"), GenerationProgress.NONE);
        assertUnchanged(contents(temp.resolve("uninterrupted")), folder);
        assertFalse(SyntheticImageSets.hasUnfinishedGeneration(folder));
    }

    /** The metadata names every file of the set with its checksum; a set replaces only those files. */
    @Test
    void theMetadataHoldsTheChecksumOfEveryFileOfTheSet() throws IOException {
        SyntheticMetadata metadata = SyntheticImageSets.generate(new SyntheticSpec(100, 20, 10, 1), temp,
                GenerationProgress.NONE);

        assertEquals(List.of("README.txt", "test.bin", "train.bin"), List.copyOf(new TreeMap<>(metadata.sha256())
                .keySet()));
        for (Map.Entry<String, String> entry : metadata.sha256().entrySet()) {
            assertEquals(io.spikeforge.engine.io.Sha256.of(temp.resolve(entry.getKey())), entry.getValue(),
                    entry.getKey());
        }
        assertEquals(metadata.sha256(), SyntheticMetadata.read(temp).sha256());
    }

    @Test
    void progressReachesTheTotal() throws IOException {
        long[] last = {0, 0};
        SyntheticImageSets.generate(new SyntheticSpec(10, 700, 300, 1), temp, (done, total) -> {
            assertTrue(done > last[0], "progress advances");
            last[0] = done;
            last[1] = total;
        });
        assertEquals(1000, last[0]);
        assertEquals(1000, last[1]);
    }

    @Test
    void missingMetadataIsExplained() throws IOException {
        SyntheticImageSets.generate(new SyntheticSpec(10, 10, 10, 1), temp, GenerationProgress.NONE);
        Files.delete(temp.resolve(SyntheticMetadata.FILE_NAME));

        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> Datasets.load(DatasetKind.SYNTHETIC, temp, OptionalInt.empty(), OptionalInt.empty()));

        assertEquals(temp.resolve("synthetic.properties") + ": missing, so " + temp + " holds no complete synthetic"
                + " set (Spikeforge writes this file last, after the images); expected a synthetic set, which"
                + " `spikeforge run` generates where dataset.path holds none and `spikeforge data synth --out"
                + " <new folder>` makes; see docs/data.md", e.getMessage());
    }

    @Test
    void truncatedSyntheticFileIsNamed() throws IOException {
        SyntheticImageSets.generate(new SyntheticSpec(10, 10, 10, 1), temp, GenerationProgress.NONE);
        Path test = temp.resolve("test_batch.bin");
        Files.write(test, Arrays.copyOf(Files.readAllBytes(test), 3073 * 9 + 100));

        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> Datasets.load(DatasetKind.SYNTHETIC, temp, OptionalInt.empty(), OptionalInt.empty()));

        assertEquals(test + ": 27757 bytes, expected 30730 (10 records of 3073 bytes)", e.getMessage());
    }

    @Test
    void readmeSaysHowTheSetWasMade() throws IOException {
        SyntheticImageSets.generate(new SyntheticSpec(10, 20, 10, 77), temp, GenerationProgress.NONE);
        String readme = Files.readString(temp.resolve("README.txt"));
        assertTrue(readme.contains("version " + SyntheticImageSets.GENERATOR_VERSION + ", with seed 77."), readme);
        assertTrue(readme.contains("spikeforge data synth --classes 10 --train 20 --test 10 --seed 77"), readme);
        assertTrue(readme.contains("    test_batch.bin  10 test images"), readme);
    }

    static double nearestClassMeanAccuracy(ImageSet train, ImageSet test) {
        int classes = train.classCount();
        double[][] means = new double[classes][ImageShape.RGB_32.imageBytes()];
        int[] counts = train.classCounts();
        for (int i = 0; i < train.size(); i++) {
            byte[] image = train.image(i);
            double[] mean = means[train.label(i)];
            for (int k = 0; k < image.length; k++) {
                mean[k] += (image[k] & 0xFF) / (double) counts[train.label(i)];
            }
        }
        int correct = 0;
        for (int i = 0; i < test.size(); i++) {
            byte[] image = test.image(i);
            int best = -1;
            double bestDistance = Double.MAX_VALUE;
            for (int c = 0; c < classes; c++) {
                double distance = 0;
                for (int k = 0; k < image.length; k++) {
                    double d = (image[k] & 0xFF) - means[c][k];
                    distance += d * d;
                }
                if (distance < bestDistance) {
                    bestDistance = distance;
                    best = c;
                }
            }
            if (best == test.label(i)) {
                correct++;
            }
        }
        return correct / (double) test.size();
    }

    private static void assertUnchanged(Map<String, byte[]> before, Path folder) throws IOException {
        Map<String, byte[]> after = contents(folder);
        assertEquals(before.keySet(), after.keySet());
        for (String name : before.keySet()) {
            assertArrayEquals(before.get(name), after.get(name), name + " changed");
        }
    }

    private static Map<String, byte[]> contents(Path folder) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> entries = Files.list(folder)) {
            for (Path file : entries.toList()) {
                files.put(file.getFileName().toString(), Files.readAllBytes(file));
            }
        }
        return files;
    }
}
