package io.spikeforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DataCommandTest {
    @TempDir
    Path temp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = SpikeforgeCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void synthWritesASetInTheCifar10Layout() throws IOException {
        Path folder = temp.resolve("synthetic-10");

        int code = run("data", "synth", "--classes", "10", "--train", "20", "--test", "10", "--seed", "1",
                "--out", folder.toString());

        assertEquals(ExitCodes.OK, code, err.toString());
        assertTrue(out.toString().startsWith("Wrote 20 training and 10 test images (10 classes, CIFAR-10 layout, seed 1) to "
                + folder), out.toString());
        assertEquals(4 * 3073, Files.size(folder.resolve("data_batch_1.bin")));
        assertEquals(10 * 3073, Files.size(folder.resolve("test_batch.bin")));
        assertTrue(Files.isRegularFile(folder.resolve("synthetic.properties")));
    }

    @Test
    void wrongClassCountIsAUsageError() {
        int code = run("data", "synth", "--classes", "7", "--out", temp.toString());

        assertEquals(ExitCodes.USAGE, code);
        assertTrue(err.toString().contains("--classes must be 10 or 100, not 7"), err.toString());
    }

    @Test
    void folderWithOtherFilesIsAUsageError() throws IOException {
        Files.writeString(temp.resolve("notes.txt"), "mine");

        int code = run("data", "synth", "--train", "10", "--test", "10", "--out", temp.toString());

        assertEquals(ExitCodes.USAGE, code);
        assertTrue(err.toString().contains("holds files that are not part of a synthetic set (notes.txt)"), err.toString());
    }
}
