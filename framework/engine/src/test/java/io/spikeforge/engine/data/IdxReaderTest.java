package io.spikeforge.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The IDX reader on files written here, gzipped and plain, and on Debian's Fashion-MNIST where installed. */
class IdxReaderTest {
    private static final Path DEBIAN_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    @TempDir
    Path folder;

    @ParameterizedTest(name = "gzipped: {0}")
    @ValueSource(booleans = {false, true})
    void readsEveryPixelAndLabelOfPlainAndGzippedFiles(boolean gzip) throws IOException {
        IdxFiles.writeFolder(folder, 7, 4, gzip);

        ImageSet train = IdxReader.read(folder, Split.TRAIN, ImageShape.GREY_28, 10, Integer.MAX_VALUE);
        ImageSet test = IdxReader.read(folder, Split.TEST, ImageShape.GREY_28, 10, 3);

        assertEquals(ImageShape.GREY_28, train.shape());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6}, train.labels());
        assertArrayEquals(new int[] {3, 4, 5}, test.labels(), "the first 3 of 4 test images");
        for (ImageSet images : new ImageSet[] {train, test}) {
            for (int i = 0; i < images.size(); i++) {
                for (int y = 0; y < 28; y++) {
                    for (int x = 0; x < 28; x++) {
                        assertEquals(IdxFiles.pixel(i, y, x), images.pixel(i, 0, y, x), i + " " + y + " " + x);
                    }
                }
            }
        }
    }

    @Test
    void gzipIsRecognizedByContentNotName() throws IOException {
        IdxFiles.writeFolder(folder, 2, 1, false);
        // gzipped bytes under the plain name, as a download tool may leave them
        Files.write(folder.resolve(IdxReader.imagesFile(Split.TRAIN)),
                IdxFiles.gzip(Files.readAllBytes(folder.resolve(IdxReader.imagesFile(Split.TRAIN)))));

        ImageSet train = IdxReader.read(folder, Split.TRAIN, ImageShape.GREY_28, 10, Integer.MAX_VALUE);

        assertEquals(IdxFiles.pixel(1, 27, 27), train.pixel(1, 0, 27, 27));
    }

    @Test
    void badMagicNumberNamesTheFileAndTheExpectedNumber() throws IOException {
        IdxFiles.writeFolder(folder, 2, 1, true);
        // a labels file where the images file belongs
        Path images = IdxFiles.write(folder, IdxReader.imagesFile(Split.TRAIN), IdxFiles.labels(1, 2), true);

        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> IdxReader.read(folder, Split.TRAIN, ImageShape.GREY_28, 10, Integer.MAX_VALUE));

        assertEquals(images + ": starts with 0x00000801, expected the IDX magic number 0x00000803 of images"
                + " (unsigned bytes, 3 dimensions)", e.getMessage());
    }

    @Test
    void notAnIdxFileAtAll() throws IOException {
        IdxFiles.writeFolder(folder, 2, 1, false);
        Path labels = folder.resolve(IdxReader.labelsFile(Split.TEST));
        Files.writeString(labels, "<html>Not Found</html>");

        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> IdxReader.read(folder, Split.TEST, ImageShape.GREY_28, 10, Integer.MAX_VALUE));

        assertTrue(e.getMessage().startsWith(labels + ": starts with 0x3c68746d, expected the IDX magic number"
                + " 0x00000801 of labels"), e.getMessage());
    }

    @Test
    void countsThatDisagreeNameBothFiles() throws IOException {
        IdxFiles.writeFolder(folder, 3, 1, true);
        Path labels = IdxFiles.write(folder, IdxReader.labelsFile(Split.TRAIN), IdxFiles.labels(1, 2), true);

        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> IdxReader.read(folder, Split.TRAIN, ImageShape.GREY_28, 10, Integer.MAX_VALUE));

        assertEquals(labels + ": 2 labels, expected one per image of "
                + folder.resolve(IdxReader.imagesFile(Split.TRAIN) + ".gz") + " (3)", e.getMessage());
    }

    @Test
    void truncatedPlainFileIsRefusedBeforeReadingWithItsSize() throws IOException {
        IdxFiles.writeFolder(folder, 3, 1, false);
        Path images = folder.resolve(IdxReader.imagesFile(Split.TRAIN));
        byte[] whole = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(whole, whole.length - 100));

        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> IdxReader.read(folder, Split.TRAIN, ImageShape.GREY_28, 10, 1));

        assertEquals(images + ": 2268 bytes, expected 2368 (a 16-byte header and 3 items of 784 bytes, as its header"
                + " says)", e.getMessage());
    }

    @Test
    void truncatedGzippedFileNamesWhereItEnded() throws IOException {
        IdxFiles.writeFolder(folder, 3, 1, false);
        byte[] whole = IdxFiles.images(3, 28);
        // a complete gzip stream of too few bytes: its header promises 3 images, it holds 2 and a half
        Path images = IdxFiles.write(folder, IdxReader.imagesFile(Split.TRAIN), Arrays.copyOf(whole, 16 + 784 * 2 + 400),
                true);
        Files.delete(folder.resolve(IdxReader.imagesFile(Split.TRAIN)));

        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> IdxReader.read(folder, Split.TRAIN, ImageShape.GREY_28, 10, Integer.MAX_VALUE));
        assertEquals(images + ": ended after 2 of the 3 items its header announces (truncated?)", e.getMessage());

        // a gzip stream cut off in the middle
        byte[] gzipped = IdxFiles.gzip(whole);
        Files.write(images, Arrays.copyOf(gzipped, gzipped.length / 2));
        DatasetFormatException cut = assertThrows(DatasetFormatException.class,
                () -> IdxReader.read(folder, Split.TRAIN, ImageShape.GREY_28, 10, Integer.MAX_VALUE));
        assertTrue(cut.getMessage().startsWith(images + ": its gzip data ends early or is damaged"), cut.getMessage());
    }

    @Test
    void aHeaderThatAnnouncesFarMoreThanTheFileHoldsCostsNoMoreMemoryThanTheFile() throws IOException {
        byte[] two = IdxFiles.images(2, 28);
        byte[] claimsMillion = two.clone();
        ByteBuffer.wrap(claimsMillion).putInt(4, 1_000_000);
        byte[] claimsAll = two.clone();
        ByteBuffer.wrap(claimsAll).putInt(4, Integer.MAX_VALUE);
        byte[] labels = IdxFiles.labels(0, 1);
        ByteBuffer.wrap(labels).putInt(4, 1_000_000);
        IdxFiles.write(folder, IdxReader.labelsFile(Split.TRAIN), labels, true);
        Path images = IdxFiles.write(folder, IdxReader.imagesFile(Split.TRAIN), claimsMillion, true);

        DatasetFormatException million = assertThrows(DatasetFormatException.class,
                () -> IdxReader.read(folder, Split.TRAIN, ImageShape.GREY_28, 10, Integer.MAX_VALUE));
        assertEquals(images + ": ended after 2 of the 1000000 items its header announces (truncated?)",
                million.getMessage());

        IdxFiles.write(folder, IdxReader.imagesFile(Split.TRAIN), claimsAll, true);
        ByteBuffer.wrap(labels).putInt(4, Integer.MAX_VALUE);
        IdxFiles.write(folder, IdxReader.labelsFile(Split.TRAIN), labels, true);
        DatasetFormatException all = assertThrows(DatasetFormatException.class,
                () -> IdxReader.read(folder, Split.TRAIN, ImageShape.GREY_28, 10, Integer.MAX_VALUE));
        assertEquals(images + ": its header announces 2147483647 images of 784 bytes, more than one set can hold"
                + " (2739137); expected the real count, or a train_limit or test_limit below that", all.getMessage());
        assertEquals(2, IdxReader.read(folder, Split.TRAIN, ImageShape.GREY_28, 10, 2).size(), "a limit reads them");
    }

    @Test
    void imagesOfAnotherSizeAreRefused() throws IOException {
        IdxFiles.writeFolder(folder, 2, 1, true);
        Path images = IdxFiles.write(folder, IdxReader.imagesFile(Split.TEST), IdxFiles.images(1, 32), true);

        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> IdxReader.read(folder, Split.TEST, ImageShape.GREY_28, 10, Integer.MAX_VALUE));

        assertEquals(images + ": images of 32x32 pixels, expected 28x28", e.getMessage());
    }

    @Test
    void labelOutOfRangeIsNamed() throws IOException {
        IdxFiles.writeFolder(folder, 2, 1, false);
        Path labels = IdxFiles.write(folder, IdxReader.labelsFile(Split.TRAIN), IdxFiles.labels(3, 10), false);

        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> IdxReader.read(folder, Split.TRAIN, ImageShape.GREY_28, 10, Integer.MAX_VALUE));

        assertEquals(labels + ": label 1 is 10, expected 0..9", e.getMessage());
    }

    @Test
    void missingFileNamesBothNamesAndTheDataSet() throws IOException {
        IdxFiles.writeFolder(folder, 2, 1, true);
        Files.delete(folder.resolve(IdxReader.labelsFile(Split.TEST) + ".gz"));

        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> Datasets.load(DatasetKind.KMNIST, folder, OptionalInt.empty(), OptionalInt.empty()));

        assertTrue(e.getMessage().startsWith(folder.resolve("t10k-labels-idx1-ubyte") + ": missing (nor is there"
                + " t10k-labels-idx1-ubyte.gz); expected the four Kuzushiji-MNIST IDX files"), e.getMessage());
    }

    @Test
    void mnistFamilyLoadsAsOneChannelBatchesWithItsPublishedStatistics() throws IOException {
        IdxFiles.writeFolder(folder, 5, 3, true);

        Dataset dataset = Datasets.load(DatasetKind.FASHION_MNIST, folder, OptionalInt.of(4), OptionalInt.empty());

        assertEquals(ImageShape.GREY_28, dataset.shape());
        assertEquals(10, dataset.classCount());
        assertEquals(4, dataset.train().size());
        assertEquals(3, dataset.test().size());
        assertEquals(Normalization.FASHION_MNIST, dataset.normalization());
        Batch batch = new DataLoader(dataset.train(), LoaderOptions.training(4, 1, new Augmentation(2, false),
                dataset.normalization())).batch(0, 0);
        assertArrayEquals(new long[] {4, 1, 28, 28}, batch.images().shape());
    }

    @Test
    void paddingBeyondTheImageAndNormalizationOfOtherChannelsAreRefused() throws IOException {
        IdxFiles.writeFolder(folder, 2, 1, false);
        ImageSet images = IdxReader.read(folder, Split.TRAIN, ImageShape.GREY_28, 10, Integer.MAX_VALUE);

        IllegalArgumentException padding = assertThrows(IllegalArgumentException.class, () -> new DataLoader(images,
                LoaderOptions.training(2, 1, new Augmentation(29, false), Normalization.MNIST)));
        assertEquals("crop padding 29 is more than the images' side of 28 pixels", padding.getMessage());
        IllegalArgumentException channels = assertThrows(IllegalArgumentException.class,
                () -> new DataLoader(images, LoaderOptions.evaluation(2, Normalization.CIFAR10)));
        assertEquals("the normalization has 3 channels, the images 1 (1x28x28)", channels.getMessage());
    }

    /** Debian's dataset-fashion-mnist package, which CI installs: the real files, all of them. */
    @Test
    void debianFashionMnistReadsWholeWithThePublishedStatistics() throws IOException {
        assumeTrue(Files.isDirectory(DEBIAN_FASHION_MNIST), DEBIAN_FASHION_MNIST + " is absent (apt-get install"
                + " dataset-fashion-mnist)");
        assertEquals(DEBIAN_FASHION_MNIST, DatasetKind.FASHION_MNIST.defaultFolder().orElseThrow());

        Dataset dataset = Datasets.load(DatasetKind.FASHION_MNIST, DEBIAN_FASHION_MNIST, OptionalInt.empty(),
                OptionalInt.empty());

        assertEquals(60_000, dataset.train().size());
        assertEquals(10_000, dataset.test().size());
        int[] sixThousandEach = new int[10];
        Arrays.fill(sixThousandEach, 6_000);
        assertArrayEquals(sixThousandEach, dataset.train().classCounts());
        assertArrayEquals(new int[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, Arrays.copyOf(dataset.test().labels(), 10),
                "the first test labels of the real file");
        Normalization measured = Normalization.of(dataset.train());
        assertEquals(Normalization.FASHION_MNIST.mean()[0], measured.mean()[0], 5e-5);
        assertEquals(Normalization.FASHION_MNIST.std()[0], measured.std()[0], 5e-5);
    }
}
