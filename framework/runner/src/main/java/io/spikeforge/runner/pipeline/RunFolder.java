package io.spikeforge.runner.pipeline;

import io.spikeforge.common.AtomicFiles;
import io.spikeforge.runner.tracking.RunLock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The folder of one run, {@code <outputs.dir>/<experiment>-<yyyyMMdd-HHmmss>[-n]}, and its files.
 * Every file but the metrics (appended row by row) is written atomically.
 */
final class RunFolder {
    static final String CONFIG = "config.yaml";
    static final String STATUS = "status";
    static final String METRICS = "metrics.csv";
    static final String FIRING_RATES = "firing_rates.csv";
    static final String INIT_REPORT = "init-report.txt";
    static final String LOSS_PLOT = "loss.png";
    static final String ACCURACY_PLOT = "accuracy.png";
    /** What a new run writes before it starts, in this order; {@link #STATUS} last. */
    static final List<String> STARTING_FILES = List.of(CONFIG, METRICS, FIRING_RATES, STATUS);

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path path;

    private RunFolder(Path path) {
        this.path = path;
    }

    /**
     * Creates a new folder named after the experiment and the current local time; a second run in
     * the same second gets the suffix {@code -2}, then {@code -3}, ...
     */
    static RunFolder create(Path outputs, String experiment, Clock clock) throws IOException {
        if (Files.exists(outputs) && !Files.isDirectory(outputs)) {
            // Files.createDirectories would say only "FileAlreadyExists"
            throw new NotDirectoryException(outputs.toString());
        }
        Files.createDirectories(outputs);
        String base = experiment + "-" + LocalDateTime.now(clock).format(STAMP);
        for (int n = 1; ; n++) {
            Path candidate = outputs.resolve(n == 1 ? base : base + "-" + n);
            try {
                return new RunFolder(Files.createDirectory(candidate));
            } catch (FileAlreadyExistsException taken) {
                // another run started in the same second: try the next suffix
            }
        }
    }

    /**
     * Removes a folder that {@link #create} made for a run that could not start: the files a new
     * run writes first ({@link #STARTING_FILES}) and the lock file, then the folder itself. Only a
     * folder this process just created is given here, so every one of those files is the run's;
     * anything else found in it stays, and so does the folder then.
     *
     * @throws IOException when a file or the folder cannot be removed
     */
    void removeUnstarted() throws IOException {
        for (String name : STARTING_FILES) {
            Files.deleteIfExists(file(name));
        }
        Files.deleteIfExists(file(RunLock.FILE_NAME));
        Files.delete(path);
    }

    /**
     * A run folder that exists, to resume: it must hold {@code config.yaml} and {@code status}.
     *
     * @throws IOException naming what is missing
     */
    static RunFolder open(Path existing) throws IOException {
        if (!Files.isDirectory(existing)) {
            throw new NoSuchFileException(existing.toString(), null, "no such run folder");
        }
        for (String name : new String[] {CONFIG, STATUS}) {
            if (!Files.isRegularFile(existing.resolve(name))) {
                throw new NoSuchFileException(existing.resolve(name).toString(), null,
                        "not a run folder: it has no " + name);
            }
        }
        return new RunFolder(existing);
    }

    /** The status word of the first line of {@code status}. */
    String readStatusWord() throws IOException {
        List<String> lines = Files.readAllLines(file(STATUS), StandardCharsets.UTF_8);
        return lines.isEmpty() ? "" : lines.get(0).trim();
    }

    /** The SHA-256 of {@code config.yaml}'s bytes, in hex. */
    String configSha256() throws IOException {
        return Checkpoints.sha256(file(CONFIG));
    }

    Path path() {
        return path;
    }

    Path file(String name) {
        return path.resolve(name);
    }

    void write(String name, String text) throws IOException {
        AtomicFiles.write(file(name), text.getBytes(StandardCharsets.UTF_8));
    }

    /** The status file: the status word on the first line, then the error of a failed run. */
    void writeStatus(RunStatus status, String error) throws IOException {
        write(STATUS, status.word() + "\n" + (error == null ? "" : error + "\n"));
    }
}
