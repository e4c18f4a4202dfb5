package io.spikeforge.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.engine.data.CifarReader.FileRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarReaderTest {
    private static final long CIFAR10_BATCH_BYTES = 10_000L * 3073;

    @TempDir
    Path folder;

    @Test
    void cifar10RecordsGiveLabelsAndPixelsInPlaneOrder() throws IOException {
        new CifarRecords().add(0, 3).add(1, 9).writeTo(folder.resolve("a.bin"));
        new CifarRecords().add(2, 0).writeTo(folder.resolve("b.bin"));

        ImageSet images = CifarReader.read(folder, CifarLayout.CIFAR10,
                List.of(new FileRecords("a.bin", 2), new FileRecords("b.bin", 1)), Integer.MAX_VALUE);

        assertEquals(3, images.size());
        assertArrayEquals(new int[] {3, 9, 0}, images.labels());
        assertPixelsExact(images, 0);
    }

    @Test
    void planeOrderIsRedThenGreenThenBlue() throws IOException {
        byte[] record = new byte[3073];
        record[0] = 1;
        record[1] = (byte) 200; // first byte of the red plane: pixel (0, 0)
        record[1 + 1024 + 32 + 2] = (byte) 150; // green plane, row 1, column 2
        record[1 + 2048 + 1023] = (byte) 255; // blue plane, last pixel
        Files.write(folder.resolve("one.bin"), record);

        ImageSet images = CifarReader.read(folder, CifarLayout.CIFAR10, List.of(new FileRecords("one.bin", 1)), 10);

        assertEquals(200, images.pixel(0, 0, 0, 0));
        assertEquals(0, images.pixel(0, 1, 0, 0));
        assertEquals(150, images.pixel(0, 1, 1, 2));
        assertEquals(0, images.pixel(0, 0, 1, 2));
        assertEquals(255, images.pixel(0, 2, 31, 31));
    }

    @Test
    void cifar100UsesTheFineLabel() throws IOException {
        new CifarRecords().add(0, 4, 77).add(1, 19, 5).writeTo(folder.resolve("train.bin"));

        ImageSet images = CifarReader.read(folder, CifarLayout.CIFAR100, List.of(new FileRecords("train.bin", 2)), 100);

        assertEquals(100, images.classCount());
        assertArrayEquals(new int[] {77, 5}, images.labels());
        assertPixelsExact(images, 0);
    }

    @Test
    void limitTakesTheFirstImagesAcrossFiles() throws IOException {
        new CifarRecords().add(0, 1).add(1, 2).writeTo(folder.resolve("a.bin"));
        new CifarRecords().add(2, 3).add(3, 4).writeTo(folder.resolve("b.bin"));

        ImageSet images = CifarReader.read(folder, CifarLayout.CIFAR10,
                List.of(new FileRecords("a.bin", 2), new FileRecords("b.bin", 2)), 3);

        assertArrayEquals(new int[] {1, 2, 3}, images.labels());
        assertPixelsExact(images, 0);
    }

    @Test
    void truncatedFileIsNamedWithItsExpectedSize() throws IOException {
        new CifarRecords().add(0, 1).add(1, 2).writeTo(folder.resolve("a.bin"));
        Files.write(folder.resolve("a.bin"), Arrays.copyOf(Files.readAllBytes(folder.resolve("a.bin")), 5000));

        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> CifarReader.read(folder,
                CifarLayout.CIFAR10, List.of(new FileRecords("a.bin", 2)), 10));

        assertEquals(folder.resolve("a.bin") + ": 5000 bytes, expected 6146 (2 records of 3073 bytes)", e.getMessage());
    }

    @Test
    void labelOutOfRangeIsNamedWithItsRecord() throws IOException {
        new CifarRecords().add(0, 1).add(1, 10).writeTo(folder.resolve("a.bin"));

        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> CifarReader.read(folder,
                CifarLayout.CIFAR10, List.of(new FileRecords("a.bin", 2)), 10));

        assertEquals(folder.resolve("a.bin") + ": record 1 has label 10, expected 0..9 (CIFAR-10 binary format)",
                e.getMessage());
    }

    @Test
    void realCifar10FolderLoadsWithTheFirstRecordsOfEachSplit() throws IOException {
        writeCifar10Folder(CIFAR10_BATCH_BYTES);

        Dataset dataset = Datasets.load(DatasetKind.CIFAR10, folder, OptionalInt.of(3), OptionalInt.of(2));

        assertEquals(10, dataset.classCount());
        assertEquals(ImageShape.RGB_32, dataset.shape());
        assertEquals(Normalization.CIFAR10, dataset.normalization());
        assertArrayEquals(new int[] {6, 7, 8}, dataset.train().labels());
        assertArrayEquals(new int[] {1, 2}, dataset.test().labels());
        assertPixelsExact(dataset.train(), 0);
        assertPixelsExact(dataset.test(), 100);
    }

    @Test
    void realCifar100FolderLoadsTheFineLabels() throws IOException {
        new CifarRecords().add(0, 3, 15).add(1, 0, 99).writeTo(folder.resolve("train.bin"), 50_000L * 3074);
        new CifarRecords().add(100, 7, 42).writeTo(folder.resolve("test.bin"), 10_000L * 3074);

        Dataset dataset = Datasets.load(DatasetKind.CIFAR100, folder, OptionalInt.of(2), OptionalInt.of(1));

        assertEquals(100, dataset.classCount());
        assertEquals(Normalization.CIFAR100, dataset.normalization());
        assertArrayEquals(new int[] {15, 99}, dataset.train().labels());
        assertArrayEquals(new int[] {42}, dataset.test().labels());
        assertPixelsExact(dataset.test(), 100);
    }

    @Test
    void truncatedRealBatchIsNamedWithTheRealSize() throws IOException {
        writeCifar10Folder(CIFAR10_BATCH_BYTES);
        new CifarRecords().writeTo(folder.resolve("data_batch_3.bin"), 30_000_000L);

        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> Datasets.load(DatasetKind.CIFAR10, folder, OptionalInt.empty(), OptionalInt.empty()));

        assertEquals(folder.resolve("data_batch_3.bin")
                + ": 30000000 bytes, expected 30730000 (10000 records of 3073 bytes)", e.getMessage());
    }

    @Test
    void missingRealBatchIsNamedWithWhatTheFolderShouldHold() throws IOException {
        writeCifar10Folder(CIFAR10_BATCH_BYTES);
        Files.delete(folder.resolve("data_batch_4.bin"));

        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> Datasets.load(DatasetKind.CIFAR10, folder, OptionalInt.empty(), OptionalInt.empty()));

        assertTrue(e.getMessage().startsWith(folder.resolve("data_batch_4.bin") + ": missing; expected the CIFAR-10 "
                + "binary version"), e.getMessage());
        assertTrue(e.getMessage().contains("cifar-10-binary.tar.gz"), e.getMessage());
    }

    @Test
    void missingFolderAndPythonVersionAreExplained() throws IOException {
        DatasetFormatException missing = assertThrows(DatasetFormatException.class, () -> Datasets.load(
                DatasetKind.CIFAR100, folder.resolve("absent"), OptionalInt.empty(), OptionalInt.empty()));
        assertTrue(missing.getMessage().startsWith(folder.resolve("absent") + ": no such folder; expected the "
                + "CIFAR-100 binary version"), missing.getMessage());

        Files.createFile(folder.resolve("data_batch_1"));
        DatasetFormatException python = assertThrows(DatasetFormatException.class,
                () -> Datasets.load(DatasetKind.CIFAR10, folder, OptionalInt.empty(), OptionalInt.empty()));
        assertTrue(python.getMessage().contains("looks like the Python version"), python.getMessage());
    }

    @Test
    void parentOfTheExtractedFolderGetsAHint() throws IOException {
        Files.createDirectories(folder.resolve("cifar-10-batches-bin"));

        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> Datasets.load(DatasetKind.CIFAR10, folder, OptionalInt.empty(), OptionalInt.empty()));

        assertTrue(e.getMessage().endsWith("(did you mean " + folder.resolve("cifar-10-batches-bin") + "?)"),
                e.getMessage());
    }

    /** Training labels 6, 7, 8 then 0 and test labels 1, 2: real sizes, sparse beyond the first records. */
    private void writeCifar10Folder(long batchBytes) throws IOException {
        new CifarRecords().add(0, 6).add(1, 7).add(2, 8).writeTo(folder.resolve("data_batch_1.bin"), batchBytes);
        for (int i = 2; i <= 5; i++) {
            new CifarRecords().writeTo(folder.resolve("data_batch_" + i + ".bin"), batchBytes);
        }
        new CifarRecords().add(100, 1).add(101, 2).writeTo(folder.resolve("test_batch.bin"), batchBytes);
    }

    private static void assertPixelsExact(ImageSet images, int firstWrittenImage) {
        for (int i = 0; i < images.size(); i++) {
            int[] expected = new int[3072];
            int[] actual = new int[3072];
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        expected[c * 1024 + y * 32 + x] = CifarRecords.pixelValue(firstWrittenImage + i, c, y, x);
                        actual[c * 1024 + y * 32 + x] = images.pixel(i, c, y, x);
                    }
                }
            }
            assertArrayEquals(expected, actual, "image " + i + ": pixels as [channel][row][column]");
        }
    }
}
