package io.spikeforge.runner.pipeline;

import io.spikeforge.common.AtomicFiles;
import io.spikeforge.engine.energy.EnergyReport;
import io.spikeforge.engine.energy.LayerOperations;
import io.spikeforge.engine.io.SafetensorsFormatException;
import io.spikeforge.engine.io.Sha256;
import io.spikeforge.engine.io.WeightImport;
import io.spikeforge.engine.model.Model;
import io.spikeforge.engine.train.ClassAccuracy;
import io.spikeforge.engine.train.EpochResult;
import io.spikeforge.engine.train.EvaluationResult;
import io.spikeforge.engine.train.Sgd;
import io.spikeforge.engine.train.TrainingCheckpoint;
import io.spikeforge.engine.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code checkpoints/} folder of a run: per model, {@code <model>-last.safetensors} (every
 * {@code outputs.checkpoint_every} epochs and after the last epoch) and
 * {@code <model>-best.safetensors} (whenever the test accuracy beats every earlier epoch's), each a
 * {@link TrainingCheckpoint} written atomically. Their metadata: the model and its architecture,
 * the SHA-256 of the run's {@code config.yaml} (which holds the seed, from which every random
 * stream of the run derives), the data seed, the epochs completed and planned, the best accuracy
 * and its epoch, the last evaluation (with its energy report, where the model counts one), and for
 * the student the teacher's final evaluation.
 */
final class Checkpoints {
    static final String DIR = "checkpoints";

    static final String MODEL = WeightImport.MODEL_KEY;
    static final String EXPERIMENT = "experiment";
    static final String CONFIG_SHA256 = "config_sha256";
    static final String DATA_SEED = "data_seed";
    static final String EPOCHS_COMPLETED = "epochs_completed";
    static final String EPOCHS = "epochs";
    static final String BEST_ACCURACY = "best_accuracy";
    static final String BEST_EPOCH = "best_epoch";
    /** Prefix of the model's last evaluation. */
    static final String TEST = "test";
    /** Prefix of the teacher's final evaluation, in the student's checkpoints. */
    static final String TEACHER_TEST = "teacher_test";
    /** The SHA-256 of a loaded teacher's weights file, in the student's checkpoints. */
    static final String TEACHER_WEIGHTS_SHA256 = "teacher_weights_sha256";
    /** How an evaluation's energy entry starts. */
    private static final String ENERGY_TIME_STEPS = "time_steps=";

    private final Path dir;
    private final String experiment;
    private final String configSha256;

    /**
     * @param runFolder the run's folder
     * @param experiment the experiment's name
     * @param configSha256 the hash of the run's {@code config.yaml}
     */
    Checkpoints(Path runFolder, String experiment, String configSha256) {
        this.dir = runFolder.resolve(DIR);
        this.experiment = experiment;
        this.configSha256 = configSha256;
    }

    Path last(String model) {
        return dir.resolve(model + "-last.safetensors");
    }

    Path best(String model) {
        return dir.resolve(model + "-best.safetensors");
    }

    /**
     * The last checkpoint of a model, if one was written; checked to belong to this run's
     * configuration and model.
     *
     * @throws IOException when it cannot be read, or belongs to another configuration
     */
    Optional<Saved> readLast(String model) throws IOException {
        Path file = last(model);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        TrainingCheckpoint checkpoint = TrainingCheckpoint.read(file);
        if (!configSha256.equals(checkpoint.metadata().get(CONFIG_SHA256))) {
            throw new SafetensorsFormatException(file + " was written for another configuration than the run's"
                    + " config.yaml (config_sha256 " + checkpoint.metadata().get(CONFIG_SHA256) + ", config.yaml "
                    + configSha256 + ")");
        }
        if (!model.equals(checkpoint.metadata().get(MODEL))) {
            throw new SafetensorsFormatException(file + " holds the model '" + checkpoint.metadata().get(MODEL)
                    + "', expected '" + model + "'");
        }
        try {
            return Optional.of(new Saved(checkpoint, Integer.parseInt(checkpoint.require(EPOCHS_COMPLETED)),
                    Integer.parseInt(checkpoint.require(EPOCHS)), evaluation(checkpoint.metadata(), TEST).orElseThrow(
                            () -> new SafetensorsFormatException(file + ": checkpoint metadata has no evaluation")),
                    evaluation(checkpoint.metadata(), TEACHER_TEST),
                    new Best(Double.parseDouble(checkpoint.require(BEST_ACCURACY)),
                            Integer.parseInt(checkpoint.metadata().getOrDefault(BEST_EPOCH, "0")))));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new SafetensorsFormatException(file + ": damaged checkpoint metadata (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The SHA-256 of a file's bytes, in hex: how checkpoints pin the run's {@code config.yaml} and a
     * loaded teacher's weights.
     */
    static String sha256(Path file) throws IOException {
        return Sha256.of(file);
    }

    /**
     * A listener, to add after every other listener of the model's training loop, that writes the
     * checkpoints once each epoch has been recorded.
     *
     * @param model {@code teacher} or {@code student}
     * @param network the model trained
     * @param optimizer its optimizer
     * @param epochs the epochs planned
     * @param every epochs between two {@code -last} checkpoints
     * @param dataSeed the seed of the model's training batches
     * @param best the best epoch so far (of a resumed training), or {@link Best#NONE}
     * @param teacher the teacher's final evaluation, stored with the student's checkpoints
     * @param extra more metadata to store
     */
    TrainingListener writer(String model, Model network, Sgd optimizer, int epochs, int every, long dataSeed,
                            Best best, Optional<EvaluationResult> teacher, Map<String, String> extra) {
        return new Writer(model, network, optimizer, epochs, every, dataSeed, best, teacher, extra);
    }

    /** A model's last checkpoint and what its metadata says. */
    record Saved(TrainingCheckpoint checkpoint, int epochsCompleted, int epochs, EvaluationResult evaluation,
                 Optional<EvaluationResult> teacherEvaluation, Best best) {
        boolean complete() {
            return epochsCompleted >= epochs;
        }
    }

    /**
     * The best test accuracy so far and its epoch (from 1).
     */
    record Best(double accuracy, int epoch) {
        /** Before any epoch: every accuracy beats it. */
        static final Best NONE = new Best(-1, 0);
    }

    private final class Writer implements TrainingListener {
        private final String model;
        private final Model network;
        private final Sgd optimizer;
        private final int epochs;
        private final int every;
        private final long dataSeed;
        private final Optional<EvaluationResult> teacher;
        private final Map<String, String> extra;
        private Best best;

        Writer(String model, Model network, Sgd optimizer, int epochs, int every, long dataSeed,
               Best best, Optional<EvaluationResult> teacher, Map<String, String> extra) {
            this.model = model;
            this.network = network;
            this.optimizer = optimizer;
            this.epochs = epochs;
            this.every = every;
            this.dataSeed = dataSeed;
            this.best = best;
            this.teacher = teacher;
            this.extra = Map.copyOf(extra);
        }

        @Override
        public void onEpoch(EpochResult epoch) {
            int completed = epoch.epoch() + 1;
            boolean improved = epoch.evaluation().accuracy() > best.accuracy();
            if (improved) {
                best = new Best(epoch.evaluation().accuracy(), completed);
            }
            boolean last = completed % every == 0 || completed == epochs;
            if (!improved && !last) {
                return;
            }
            Map<String, String> metadata = metadata(completed, epoch.evaluation());
            try {
                Files.createDirectories(dir);
                if (last) {
                    TrainingCheckpoint.write(last(model), network, optimizer, metadata);
                }
                if (improved && last) {
                    AtomicFiles.write(best(model), out -> Files.copy(last(model), out));
                } else if (improved) {
                    TrainingCheckpoint.write(best(model), network, optimizer, metadata);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the checkpoint of the " + model + " in " + dir, e);
            }
        }

        private Map<String, String> metadata(int completed, EvaluationResult evaluation) {
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put(MODEL, model);
            metadata.put(EXPERIMENT, experiment);
            metadata.put(CONFIG_SHA256, configSha256);
            metadata.put(DATA_SEED, Long.toString(dataSeed));
            metadata.put(EPOCHS_COMPLETED, Integer.toString(completed));
            metadata.put(EPOCHS, Integer.toString(epochs));
            metadata.put(BEST_ACCURACY, Double.toString(best.accuracy()));
            metadata.put(BEST_EPOCH, Integer.toString(best.epoch()));
            putEvaluation(metadata, TEST, evaluation);
            teacher.ifPresent(t -> putEvaluation(metadata, TEACHER_TEST, t));
            metadata.putAll(extra);
            return metadata;
        }
    }

    /**
     * Stores an evaluation under {@code <prefix>_accuracy}, {@code _loss}, {@code _images},
     * {@code _firing_rate.<layer>}, {@code _energy} and {@code _per_class}: the energy report in one
     * entry, to keep its layers' order, {@code time_steps=<T>;<layer> <accumulates> <multiply-accumulates>;...};
     * the accuracy per class as {@code <correct>/<images>;...} in class order.
     */
    static void putEvaluation(Map<String, String> metadata, String prefix, EvaluationResult evaluation) {
        metadata.put(prefix + "_accuracy", Double.toString(evaluation.accuracy()));
        metadata.put(prefix + "_loss", Double.toString(evaluation.loss()));
        metadata.put(prefix + "_images", Integer.toString(evaluation.images()));
        evaluation.firingRates().forEach((layer, rate) -> metadata.put(prefix + "_firing_rate." + layer,
                Double.toString(rate)));
        evaluation.energy().ifPresent(energy -> {
            StringBuilder text = new StringBuilder(ENERGY_TIME_STEPS).append(energy.timeSteps());
            energy.layers().forEach(layer -> text.append(';').append(layer.layer()).append(' ')
                    .append(layer.accumulates()).append(' ').append(layer.multiplyAccumulates()));
            metadata.put(prefix + "_energy", text.toString());
        });
        evaluation.perClass().ifPresent(perClass -> {
            StringBuilder text = new StringBuilder();
            for (int c = 0; c < perClass.classes(); c++) {
                text.append(c == 0 ? "" : ";").append(perClass.correct(c)).append('/').append(perClass.images(c));
            }
            metadata.put(prefix + "_per_class", text.toString());
        });
    }

    /** The accuracy per class {@link #putEvaluation} stored; empty in checkpoints from before it was. */
    private static Optional<ClassAccuracy> perClass(Map<String, String> metadata, String prefix) {
        String text = metadata.get(prefix + "_per_class");
        if (text == null) {
            return Optional.empty();
        }
        String[] entries = text.split(";");
        long[] correct = new long[entries.length];
        long[] images = new long[entries.length];
        for (int c = 0; c < entries.length; c++) {
            String[] counts = entries[c].split("/");
            if (counts.length != 2) {
                throw new NumberFormatException(prefix + "_per_class: '" + entries[c] + "' is not correct/images");
            }
            correct[c] = Long.parseLong(counts[0]);
            images[c] = Long.parseLong(counts[1]);
        }
        return Optional.of(new ClassAccuracy(correct, images));
    }

    /** The energy report {@link #putEvaluation} stored; empty in checkpoints from before energy was counted. */
    private static Optional<EnergyReport> energy(Map<String, String> metadata, String prefix) {
        String text = metadata.get(prefix + "_energy");
        if (text == null) {
            return Optional.empty();
        }
        String[] entries = text.split(";");
        if (!entries[0].startsWith(ENERGY_TIME_STEPS)) {
            throw new NumberFormatException(prefix + "_energy does not start with " + ENERGY_TIME_STEPS);
        }
        List<LayerOperations> layers = new ArrayList<>();
        for (int i = 1; i < entries.length; i++) {
            String[] fields = entries[i].split(" ");
            if (fields.length != 3) {
                throw new NumberFormatException(prefix + "_energy: '" + entries[i] + "' is not a layer and two counts");
            }
            layers.add(new LayerOperations(fields[0], Double.parseDouble(fields[1]), Double.parseDouble(fields[2])));
        }
        return Optional.of(new EnergyReport(layers,
                Integer.parseInt(entries[0].substring(ENERGY_TIME_STEPS.length()))));
    }

    /** The evaluation {@link #putEvaluation} stored, if any. */
    static Optional<EvaluationResult> evaluation(Map<String, String> metadata, String prefix) {
        String accuracy = metadata.get(prefix + "_accuracy");
        if (accuracy == null) {
            return Optional.empty();
        }
        Map<String, Double> rates = new LinkedHashMap<>();
        String ratePrefix = prefix + "_firing_rate.";
        metadata.forEach((key, value) -> {
            if (key.startsWith(ratePrefix)) {
                rates.put(key.substring(ratePrefix.length()), Double.parseDouble(value));
            }
        });
        return Optional.of(new EvaluationResult(Double.parseDouble(accuracy),
                Double.parseDouble(metadata.get(prefix + "_loss")), rates,
                Integer.parseInt(metadata.get(prefix + "_images")), energy(metadata, prefix), perClass(metadata, prefix)));
    }
}
