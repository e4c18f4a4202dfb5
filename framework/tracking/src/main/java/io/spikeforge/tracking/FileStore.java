package io.spikeforge.tracking;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * MLflow's file store ({@code mlruns}), written directly: {@code <root>/<experiment id>/meta.yaml},
 * {@code <root>/<experiment id>/<run id>/...} (see {@link MlflowRunFolder}), {@code <root>/0} the
 * Default experiment and {@code <root>/.trash} for deleted experiments, as
 * mlflow/store/tracking/file_store.py lays them out, so that {@code mlflow ui} and
 * {@code mlflow server} read them.
 *
 * <p>Experiments are found or created under a lock on {@code <root>/.spikeforge.lock} (held by
 * one thread of one process at a time), so two processes starting runs of a new experiment at
 * once create it once.
 */
final class FileStore {
    static final String DEFAULT_EXPERIMENT_ID = "0";
    static final String DEFAULT_EXPERIMENT_NAME = "Default";
    static final String TRASH = ".trash";

    private static final String LOCK_FILE = ".spikeforge.lock";
    /** The file lock excludes other processes; threads of this one wait on this monitor first. */
    private static final ConcurrentMap<Path, Object> MONITORS = new ConcurrentHashMap<>();
    /** Attempts at a fresh id before giving up: collisions of random ids mean a broken IdSource. */
    private static final int ID_ATTEMPTS = 20;

    private final Path root;
    private final Clock clock;
    private final IdSource ids;

    FileStore(Path root, Clock clock, IdSource ids) {
        this.root = root.toAbsolutePath().normalize();
        this.clock = clock;
        this.ids = ids;
    }

    Path root() {
        return root;
    }

    /**
     * The id of the active experiment of this name, created (with the store itself when needed)
     * if there is none.
     *
     * @throws IllegalArgumentException if the name is invalid or belongs to a deleted experiment
     */
    String experimentId(String name) throws IOException {
        MlflowNames.checkExperimentName(name);
        Files.createDirectories(root);
        synchronized (MONITORS.computeIfAbsent(root, r -> new Object())) {
            try (FileChannel channel = FileChannel.open(root.resolve(LOCK_FILE),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = channel.lock()) {
                createDefaultExperimentIfMissing();
                Optional<ExperimentMeta> existing = findExperiment(root, name);
                if (existing.isPresent()) {
                    return existing.get().experimentId();
                }
                if (findExperiment(root.resolve(TRASH), name).isPresent()) {
                    throw new IllegalArgumentException("Experiment '" + name + "' exists in deleted state in "
                            + root + ". Restore it (mlflow experiments restore), or log to another experiment"
                            + " name (tracking.experiment).");
                }
                return createExperiment(name);
            }
        }
    }

    /** The experiment's metadata, if this store has an active experiment of that id. */
    Optional<ExperimentMeta> experiment(String experimentId) throws IOException {
        Path dir = root.resolve(experimentId);
        return Files.isRegularFile(dir.resolve(MetaYaml.FILE_NAME))
                ? Optional.of(ExperimentMeta.fromYaml(MetaYaml.read(dir))) : Optional.empty();
    }

    /**
     * Creates a run with status RUNNING and the {@code mlflow.runName} tag, plus {@code tags}.
     */
    MlflowRunFolder createRun(String experimentId, String runName, String userId, Map<String, String> tags)
            throws IOException {
        ExperimentMeta experiment = experiment(experimentId)
                .orElseThrow(() -> new IllegalArgumentException("no experiment " + experimentId + " in " + root));
        Path dir = createUniqueDir(root.resolve(experimentId), ids::newRunId);
        MlflowRunFolder run = new MlflowRunFolder(dir);
        String runId = run.runId();
        String artifactUri = experiment.artifactLocation() + "/" + runId + "/" + MlflowRunFolder.ARTIFACTS;
        run.writeMeta(new RunMeta(runId, experimentId, runName, userId, artifactUri, RunStatus.RUNNING,
                clock.millis(), Optional.empty()), true);
        Files.createDirectories(dir.resolve(MlflowRunFolder.METRICS));
        Files.createDirectories(dir.resolve(MlflowRunFolder.PARAMS));
        Files.createDirectories(dir.resolve(MlflowRunFolder.ARTIFACTS));
        run.setTag(RunTags.RUN_NAME, runName);
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            run.setTag(tag.getKey(), tag.getValue());
        }
        return run;
    }

    /** The runs of the active experiments, in no particular order. */
    List<MlflowRunFolder> runs() throws IOException {
        List<MlflowRunFolder> runs = new ArrayList<>();
        for (Path experimentDir : subfolders(root)) {
            if (experimentDir.getFileName().toString().equals(TRASH)) {
                continue;
            }
            for (Path runDir : subfolders(experimentDir)) {
                if (Files.isRegularFile(runDir.resolve(MetaYaml.FILE_NAME))) {
                    runs.add(new MlflowRunFolder(runDir));
                }
            }
        }
        return runs;
    }

    /** A run of an active experiment by id. */
    Optional<MlflowRunFolder> run(String runId) throws IOException {
        for (Path experimentDir : subfolders(root)) {
            Path runDir = experimentDir.resolve(runId);
            if (!experimentDir.getFileName().toString().equals(TRASH)
                    && Files.isRegularFile(runDir.resolve(MetaYaml.FILE_NAME))) {
                return Optional.of(new MlflowRunFolder(runDir));
            }
        }
        return Optional.empty();
    }

    private void createDefaultExperimentIfMissing() throws IOException {
        Files.createDirectories(root.resolve(TRASH));
        if (!Files.exists(root.resolve(DEFAULT_EXPERIMENT_ID))
                && !Files.exists(root.resolve(TRASH).resolve(DEFAULT_EXPERIMENT_ID))) {
            Path dir = Files.createDirectory(root.resolve(DEFAULT_EXPERIMENT_ID));
            writeExperimentMeta(dir, DEFAULT_EXPERIMENT_ID, DEFAULT_EXPERIMENT_NAME);
        }
    }

    private String createExperiment(String name) throws IOException {
        Path dir = createUniqueDir(root, ids::newExperimentId);
        String id = dir.getFileName().toString();
        writeExperimentMeta(dir, id, name);
        return id;
    }

    private void writeExperimentMeta(Path dir, String id, String name) throws IOException {
        long now = clock.millis();
        MetaYaml.write(dir, new ExperimentMeta(id, name, fileUri(dir), ExperimentMeta.ACTIVE, now, now).toYaml());
    }

    private static Path createUniqueDir(Path parent, Supplier<String> names) throws IOException {
        for (int attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
            try {
                return Files.createDirectory(parent.resolve(names.get()));
            } catch (FileAlreadyExistsException e) {
                // taken: draw another id
            }
        }
        throw new IOException("no free id in " + parent + " after " + ID_ATTEMPTS + " attempts");
    }

    private static Optional<ExperimentMeta> findExperiment(Path parent, String name) throws IOException {
        for (Path dir : subfolders(parent)) {
            if (Files.isRegularFile(dir.resolve(MetaYaml.FILE_NAME))) {
                ExperimentMeta meta = ExperimentMeta.fromYaml(MetaYaml.read(dir));
                if (meta.name().equals(name)) {
                    return Optional.of(meta);
                }
            }
        }
        return Optional.empty();
    }

    private static List<Path> subfolders(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(Files::isDirectory).sorted().toList();
        }
    }

    /** {@code file:///abs/path} without the trailing slash that {@link Path#toUri()} adds to folders. */
    static String fileUri(Path path) {
        String uri = path.toAbsolutePath().normalize().toUri().toString();
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }
}
