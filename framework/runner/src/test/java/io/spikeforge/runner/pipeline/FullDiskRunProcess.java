package io.spikeforge.runner.pipeline;

import io.spikeforge.runner.config.DistillExperiment;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * Starts the tiny experiment with its outputs on a small file system that is full, as a second
 * JVM inside a private mount namespace where the test mounted that file system. Prints what
 * happened, one line per fact, for the test to check.
 */
public final class FullDiskRunProcess {
    private static final int PAGE = 4096;

    private FullDiskRunProcess() {
    }

    /**
     * Arguments: the mounted (tmpfs) folder, the data set folder, and the number of free pages to
     * leave: 0 to fail at the first file, or "config+2" to fail at the status file, the last file a
     * run writes before it starts.
     */
    public static void main(String[] args) throws Exception {
        Path disk = Path.of(args[0]);
        DistillExperiment experiment = TinyExperiments.load(disk, Path.of(args[1]));
        int configPages = (experiment.toYaml().getBytes(StandardCharsets.UTF_8).length + PAGE - 1) / PAGE;
        int freePages = args[2].equals("config+2") ? configPages + 2 : Integer.parseInt(args[2]);
        Path filler = disk.resolve("filler");
        fill(filler, freePages);
        try {
            RunResult result = ExperimentPipeline.builder(experiment).build().run();
            System.out.println("started: " + result.status().word());
        } catch (RunSetupException e) {
            System.out.println("message: " + e.getMessage());
        }
        Path outputs = disk.resolve("runs");
        try (Stream<Path> entries = Files.exists(outputs) ? Files.list(outputs) : Stream.empty()) {
            System.out.println("run folders: " + entries.map(p -> p.getFileName().toString()).sorted().toList());
        }
        Files.delete(filler);
    }

    /** Writes zeros until the disk is full, then gives back whole pages until {@code freePages} are free. */
    private static void fill(Path filler, int freePages) throws IOException {
        byte[] page = new byte[PAGE];
        try (OutputStream out = Files.newOutputStream(filler, StandardOpenOption.CREATE_NEW)) {
            while (true) {
                out.write(page);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left on device")) {
                throw full;
            }
        }
        try (RandomAccessFile file = new RandomAccessFile(filler.toFile(), "rw")) {
            file.setLength((file.length() / PAGE - freePages) * PAGE);
        }
    }
}
