package io.spikeforge.runner.sweep;

import io.spikeforge.common.AtomicFiles;
import io.spikeforge.runner.config.ConvertExperiment;
import io.spikeforge.runner.config.DistillExperiment;
import io.spikeforge.runner.config.Experiment;
import io.spikeforge.runner.pipeline.ExperimentPipeline;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A model that the arms of a sweep train once and share: the teacher of {@code distill}, the ANN of
 * {@code convert}. It is identified by a hash of everything that determines its trained weights
 * (its model and training sections, the data set section, the seed, the components' plugins and
 * versions, Spikeforge's version) and kept in {@code shared/<model>-<hash>/} of the sweep folder:
 * <pre>
 * shared/teacher-3f2a.../
 *   inputs.txt            the hashed settings, one "key: value" a line
 *   teacher.safetensors   the trained weights, published atomically when its training ends
 *   origin.txt            which arm and run folder trained it
 * shared/teacher-3f2a....lock   held by the arm training it; the others wait on it
 * </pre>
 * The arm that trains it publishes the weights as soon as that model's training is done (not when
 * its run ends); the others load them through the experiment's own key ({@code teacher.weights},
 * {@code weights}).
 *
 * @param model the model's name in the run, {@code teacher} or {@code ann}
 * @param weightsKey the experiment key that loads it, {@code teacher.weights} or {@code weights}
 * @param inputs the settings that determine it, by dotted key, sorted
 * @param hash the SHA-256 of {@code inputs}, in hex
 */
public record SharedModel(String model, String weightsKey, Map<String, String> inputs, String hash) {
    /** The file in a run folder that says which shared model the arm used, and where it came from. */
    public static final String USED_FILE = "shared-model.txt";
    /** The MLflow tag naming the shared model an arm used ({@code <model>-<hash>}). */
    public static final String TAG = "sweep.shared_model";
    /** The MLflow tag naming the arm that trained the shared model an arm used. */
    public static final String TRAINED_BY_TAG = "sweep.shared_model_trained_by";
    private static final String INPUTS = "inputs.txt";
    private static final String ORIGIN = "origin.txt";

    /**
     * The shared model of an arm's experiment: its teacher ({@code distill}) or its ANN
     * ({@code convert}) when the run trains it; empty for {@code train} and when the experiment
     * loads the model from a file already.
     */
    public static Optional<SharedModel> of(Experiment experiment, String spikeforgeVersion) {
        String model;
        String weightsKey;
        String[] prefixes;
        if (experiment instanceof DistillExperiment distill && distill.teacher().weights().isEmpty()) {
            model = ExperimentPipeline.TEACHER;
            weightsKey = "teacher.weights";
            prefixes = new String[] {"teacher.", "dataset."};
        } else if (experiment instanceof ConvertExperiment convert && convert.weights().isEmpty()) {
            model = ExperimentPipeline.ANN;
            weightsKey = "weights";
            prefixes = new String[] {"model.", "training.", "dataset."};
        } else {
            return Optional.empty();
        }
        Map<String, String> inputs = new TreeMap<>();
        experiment.flatten().forEach((key, value) -> {
            for (String prefix : prefixes) {
                if (key.startsWith(prefix) && !key.equals(weightsKey)) {
                    inputs.put(key, value);
                }
            }
        });
        inputs.put("experiment.seed", Long.toString(experiment.experiment().seed()));
        inputs.put("kind", experiment.kind().yamlName());
        inputs.put("spikeforge.version", spikeforgeVersion);
        return Optional.of(new SharedModel(model, weightsKey, inputs, sha256(inputsText(inputs))));
    }

    /** The model's name in the shared folder, {@code <model>-<hash>}. */
    public String id() {
        return model + "-" + hash;
    }

    /** Its folder in the sweep's {@code shared/}. */
    public Path folder(SweepFolder sweep) {
        return sweep.sharedFolder().resolve(id());
    }

    /** The published weights (which exist once the arm that trains it has finished that training). */
    public Path weights(SweepFolder sweep) {
        return folder(sweep).resolve(model + ".safetensors");
    }

    /** Whether its weights are published. */
    public boolean published(SweepFolder sweep) {
        return Files.isRegularFile(weights(sweep));
    }

    /** Which arm trained the published weights, as written by {@link #publish}; empty if unknown. */
    public Optional<String> origin(SweepFolder sweep) throws IOException {
        Path origin = folder(sweep).resolve(ORIGIN);
        return Files.isRegularFile(origin) ? Optional.of(Files.readString(origin, StandardCharsets.UTF_8).strip())
                : Optional.empty();
    }

    /**
     * Takes the model's lock, waiting while another arm (in any process) holds it: the arm holding
     * it is training the model. After it returns, {@link #published} says whether to load the model
     * (then release the lock) or to train it (keep the lock until {@link #publish}).
     */
    public FileLock lock(SweepFolder sweep) throws IOException {
        Files.createDirectories(sweep.sharedFolder());
        FileChannel channel = FileChannel.open(sweep.sharedFolder().resolve(id() + ".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        try {
            return channel.lock();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Releases a lock of {@link #lock} and closes its file. */
    public static void release(FileLock lock) throws IOException {
        try (FileChannel channel = lock.channel()) {
            lock.release();
        }
    }

    /**
     * Publishes a trained model's weights: copied into the shared folder with the hashed inputs and
     * the origin, the weights last and atomically, so that an arm sees them whole or not at all.
     * Nothing happens when they are published already.
     *
     * @param trained the model's {@code <model>.safetensors} in the run folder that trained it
     * @param origin which arm and run trained it, such as {@code arm 0 'idsnn,seed=1' (arms/000-idsnn_seed=1)}
     */
    public void publish(SweepFolder sweep, Path trained, String origin) throws IOException {
        if (published(sweep)) {
            return;
        }
        Path folder = folder(sweep);
        Files.createDirectories(folder);
        AtomicFiles.write(folder.resolve(INPUTS), inputsText(inputs).getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(folder.resolve(ORIGIN), (origin + "\n").getBytes(StandardCharsets.UTF_8));
        Path partial = Files.createTempFile(folder, model, ".partial");
        try {
            Files.copy(trained, partial, StandardCopyOption.REPLACE_EXISTING);
            try {
                Files.move(partial, weights(sweep), StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
                Files.move(partial, weights(sweep));
            }
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static String inputsText(Map<String, String> inputs) {
        StringBuilder text = new StringBuilder();
        inputs.forEach((key, value) -> text.append(key).append(": ").append(value).append('\n'));
        return text.toString();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java", e);
        }
    }
}
