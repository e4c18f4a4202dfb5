package io.spikeforge.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataCommandTest {
    @TempDir
    Path temp;

    private final InProcessCli cli = new InProcessCli();

    private int run(String... args) {
        return cli.run(args);
    }

    @Test
    void synthWritesASetInTheCifar10Layout() throws IOException {
        Path folder = temp.resolve("synthetic-10");

        int code = run("data", "synth", "--classes", "10", "--train", "20", "--test", "10", "--seed", "1",
                "--out", folder.toString());

        assertEquals(ExitCodes.OK, code, cli.err());
        assertTrue(cli.out().startsWith("Wrote 20 training and 10 test images (10 classes, CIFAR-10 layout, seed 1) to "
                + folder), cli.out());
        assertEquals(4 * 3073, Files.size(folder.resolve("data_batch_1.bin")));
        assertEquals(10 * 3073, Files.size(folder.resolve("test_batch.bin")));
        assertTrue(Files.isRegularFile(folder.resolve("synthetic.properties")));
    }

    @Test
    void listShowsEveryDataSetWithItsShapeAndDefaultFolder() {
        int code = run("data", "list");

        assertEquals(ExitCodes.OK, code, cli.err());
        List<String> lines = cli.out().lines().toList();
        assertEquals("NAME           IMAGES   CLASSES DEFAULT dataset.path", lines.get(0));
        assertEquals("cifar100       3x32x32  100     none: required", lines.get(2));
        assertEquals("synthetic      3x32x32  10|100  none: required", lines.get(3));
        boolean debian = Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist"));
        assertEquals("fashion-mnist  1x28x28  10      /usr/share/datasets/fashion-mnist" + (debian ? "" : " (absent)"),
                lines.get(5));
        assertEquals(8, lines.size(), cli.out());
    }

    @Test
    void wrongClassCountIsAUsageError() {
        int code = run("data", "synth", "--classes", "7", "--out", temp.toString());

        assertEquals(ExitCodes.USAGE, code);
        assertTrue(cli.err().contains("--classes must be 10 or 100, not 7"), cli.err());
    }

    @Test
    void folderWithOtherFilesIsAUsageError() throws IOException {
        Files.writeString(temp.resolve("notes.txt"), "mine");

        int code = run("data", "synth", "--train", "10", "--test", "10", "--out", temp.toString());

        assertEquals(ExitCodes.USAGE, code);
        assertTrue(cli.err().contains("--out: " + temp + ": holds files that Spikeforge did not write (notes.txt);"
                + " it never replaces or deletes them; choose an empty or new folder"), cli.err());
    }

    /** A refused folder showed a progress bar at 0% first, as if the set were being written. */
    @Test
    void aRefusedFolderShowsNoProgress() throws IOException {
        Files.writeString(temp.resolve("notes.txt"), "mine");

        int code = run("data", "synth", "--out", temp.toString());

        assertEquals(ExitCodes.USAGE, code);
        // the message alone, not buried under the usage text
        assertEquals("error: --out: " + temp + ": holds files that Spikeforge did not write (notes.txt); it never"
                + " replaces or deletes them; choose an empty or new folder\n"
                + "Run 'spikeforge data synth --help' for its usage.\n", cli.err());
        assertEquals("mine", Files.readString(temp.resolve("notes.txt")));
    }

    @Test
    void aMistypedOptionGetsSuggestionsAndNoUsageText() {
        int code = run("data", "synth", "--clases", "10", "--out", temp.toString());

        assertEquals(ExitCodes.USAGE, code);
        assertTrue(cli.err().startsWith("error: Unknown options: '--clases', '10'\n"
                + "Possible solutions: --classes\n"), cli.err());
        assertTrue(cli.err().contains("--classes"), cli.err());
        assertTrue(cli.err().endsWith("Run 'spikeforge data synth --help' for its usage.\n"), cli.err());
        assertFalse(cli.err().contains("Usage:"), cli.err());
    }

    /** A folder of CIFAR-100's files, which Spikeforge did not write, was replaced with exit 0. */
    @Test
    void realCifarFilesAreRefusedAndLeftByteForByte() throws IOException {
        Path cifar = Files.createDirectories(temp.resolve("cifar-100-binary"));
        byte[] record = new byte[3074];
        for (int i = 0; i < record.length; i++) {
            record[i] = (byte) (i * 13);
        }
        record[0] = 19;
        record[1] = 99;
        Files.write(cifar.resolve("train.bin"), record);
        Files.write(cifar.resolve("test.bin"), record);
        Files.writeString(cifar.resolve("fine_label_names.txt"), "apple\naquarium_fish\n");

        int code = run("data", "synth", "--classes", "100", "--train", "1", "--test", "1", "--out", cifar.toString());

        assertEquals(ExitCodes.USAGE, code, cli.out());
        assertTrue(cli.err().contains("holds files that Spikeforge did not write (fine_label_names.txt, test.bin,"
                + " train.bin)"), cli.err());
        try (Stream<Path> files = Files.list(cifar)) {
            assertEquals(List.of("fine_label_names.txt", "test.bin", "train.bin"),
                    files.map(f -> f.getFileName().toString()).sorted().toList());
        }
        assertArrayEquals(record, Files.readAllBytes(cifar.resolve("train.bin")));
        assertArrayEquals(record, Files.readAllBytes(cifar.resolve("test.bin")));
    }

    @Test
    void aSetThatSpikeforgeWroteIsReplaced() throws IOException {
        assertEquals(ExitCodes.OK, run("data", "synth", "--train", "10", "--test", "10", "--out", temp.toString()));
        byte[] first = Files.readAllBytes(temp.resolve("test_batch.bin"));

        assertEquals(ExitCodes.OK, run("data", "synth", "--train", "10", "--test", "10", "--seed", "2", "--out",
                temp.toString()), cli::err);

        assertFalse(Arrays.equals(first, Files.readAllBytes(temp.resolve("test_batch.bin"))));
    }
}
