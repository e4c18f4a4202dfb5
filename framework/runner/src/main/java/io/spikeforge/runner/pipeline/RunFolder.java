package io.spikeforge.runner.pipeline;

import io.spikeforge.common.AtomicFiles;
import io.spikeforge.tracking.RunIdsFile;
import io.spikeforge.tracking.RunLock;
import io.spikeforge.tracking.RunStatus;
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
import java.util.Optional;

/**
 * The folder of one run, {@code <outputs.dir>/<experiment>-<yyyyMMdd-HHmmss>[-n]}, and its files:
 * the one place that knows what makes a folder a run folder ({@link #whyNotARunFolder}). Besides
 * the files named here it holds the checkpoints ({@link Checkpoints#DIR}), the lock of the process
 * that runs it ({@link RunLock#FILE_NAME}) and the MLflow runs that recorded it
 * ({@link RunIdsFile#FILE_NAME}). Every file but the metrics (appended row by row) and the MLflow
 * run ids (appended line by line) is written atomically.
 */
public final class RunFolder {
    /** The resolved experiment; with {@link #STATUS}, what makes a folder a run folder. */
    public static final String CONFIG = "config.yaml";
    /** The run's {@link RunStatus#word() status word} on the first line, then the error of a failed run. */
    public static final String STATUS = "status";
    static final String METRICS = "metrics.csv";
    static final String FIRING_RATES = "firing_rates.csv";
    /** Each evaluated model's operations and energy per image and layer, written at the end ({@link EnergyCsv}). */
    static final String ENERGY = "energy.csv";
    static final String INIT_REPORT = "init-report.txt";
    static final String LOSS_PLOT = "loss.png";
    static final String ACCURACY_PLOT = "accuracy.png";
    /** A {@code convert} run's thresholds and conversion settings, as the engine saves them. */
    static final String THRESHOLDS = "thresholds.safetensors";
    /** A {@code convert} run's accuracy of the converted network at each T, with the ANN's. */
    static final String ACCURACY_VS_TIMESTEPS = "accuracy-vs-timesteps.csv";
    static final String ACCURACY_VS_TIMESTEPS_PLOT = "accuracy-vs-timesteps.png";
    /** A {@code convert} run's error analysis, per spiking layer and T. */
    static final String CONVERSION_ERRORS = "conversion-errors.csv";
    static final String CONVERSION_ERRORS_PLOT = "conversion-errors.png";
    static final String CURRENT_VARIANCE_PLOT = "current-variance.png";
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
     * Creates the folder {@code folder}, which must not exist (its parents are created): a run whose
     * folder is given, such as a sweep's arm.
     *
     * @throws java.nio.file.FileAlreadyExistsException when it exists
     */
    static RunFolder createAt(Path folder) throws IOException {
        Path parent = folder.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new RunFolder(Files.createDirectory(folder));
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
     * Why {@code path} is not a run folder, such as {@code not a run folder (it has no config.yaml)};
     * empty when it is one: a folder that holds {@value #CONFIG} and {@value #STATUS}.
     */
    public static Optional<String> whyNotARunFolder(Path path) {
        if (!Files.isDirectory(path)) {
            return Optional.of("no such run folder");
        }
        for (String name : List.of(CONFIG, STATUS)) {
            if (!Files.isRegularFile(path.resolve(name))) {
                return Optional.of("not a run folder (it has no " + name + ")");
            }
        }
        return Optional.empty();
    }

    /**
     * A run folder that exists, to resume.
     *
     * @throws NoSuchFileException when it is not one ({@link #whyNotARunFolder})
     */
    static RunFolder open(Path existing) throws IOException {
        Optional<String> notARunFolder = whyNotARunFolder(existing);
        if (notARunFolder.isPresent()) {
            throw new NoSuchFileException(existing.toString(), null, notARunFolder.get());
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
