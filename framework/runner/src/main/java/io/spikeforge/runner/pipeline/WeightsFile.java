package io.spikeforge.runner.pipeline;

import io.spikeforge.common.IoErrors;
import io.spikeforge.engine.io.Safetensors;
import io.spikeforge.engine.io.SafetensorsFile;
import io.spikeforge.engine.io.StateDictMismatchException;
import io.spikeforge.engine.io.WeightImport;
import io.spikeforge.engine.model.Model;
import io.spikeforge.engine.train.TrainingCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Loads a model's weights from a .safetensors file or a run's checkpoint, as an experiment's {@code weights} key says. */
final class WeightsFile {
    private WeightsFile() {
    }

    /**
     * Loads the file into the model.
     *
     * @param key the weights key, such as {@code teacher.weights}, for messages
     * @param modelKey the model's section, such as {@code teacher.model}, for messages
     * @throws RunSetupException naming the key when the file cannot be read or does not fit the model
     */
    static void load(String key, String modelKey, Path file, Model model) throws RunSetupException {
        if (!file.getFileName().toString().endsWith(".safetensors")) {
            throw new RunSetupException(key + ": " + file + ": only .safetensors files can be loaded for now"
                    + " (PyTorch writes them with safetensors.torch.save_file; see docs/data.md)");
        }
        if (!Files.isRegularFile(file)) {
            throw new RunSetupException(key + ": " + file + ": no such file");
        }
        try {
            SafetensorsFile contents = Safetensors.read(file);
            if (TrainingCheckpoint.isCheckpoint(contents)) {
                contents = TrainingCheckpoint.of(file, contents).weights();
            }
            Map<String, INDArray> target = new LinkedHashMap<>();
            model.stateDict().names().forEach(name -> target.put(name, model.stateDict().get(name)));
            WeightImport.importInto(file, contents, target, Optional.of(model.architecture()));
        } catch (StateDictMismatchException e) {
            throw new RunSetupException(key + ": " + e.getMessage() + (e.otherNetwork()
                    ? System.lineSeparator() + "the file must hold the weights of the " + model.architecture()
                            + " that " + modelKey + " describes" : ""), e);
        } catch (IOException e) {
            throw new RunSetupException(key + ": cannot read " + file + ": " + IoErrors.message(e), e);
        }
    }

    /**
     * Checks, before a run is resumed, that a weights file is the one its checkpoint was trained
     * from (the SHA-256 the checkpoint recorded under {@code metadataKey}).
     */
    static void requireUnchanged(Resumption resumption, String model, String key, Path file, String metadataKey)
            throws RunSetupException {
        Optional<Checkpoints.Saved> saved = resumption.last(model);
        if (saved.isEmpty()) {
            return;
        }
        String recorded = saved.get().checkpoint().metadata().get(metadataKey);
        try {
            if (recorded != null && !recorded.equals(Checkpoints.sha256(file))) {
                throw new RunSetupException("cannot resume " + resumption.folder().path() + ": " + key + " " + file
                        + " changed since the " + model + "'s checkpoint was written (SHA-256 differs)");
            }
        } catch (IOException e) {
            throw new RunSetupException("cannot resume " + resumption.folder().path() + ": " + IoErrors.message(e), e);
        }
    }

    /** The file's SHA-256 for a checkpoint's metadata; the file was read at setup, so a failure now is unexpected. */
    static String sha256(String key, Path file) {
        try {
            return Checkpoints.sha256(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + key + " again", e);
        }
    }
}
