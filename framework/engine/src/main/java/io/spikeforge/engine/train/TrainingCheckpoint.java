package io.spikeforge.engine.train;

import io.spikeforge.engine.io.Safetensors;
import io.spikeforge.engine.io.SafetensorsDtype;
import io.spikeforge.engine.io.SafetensorsFile;
import io.spikeforge.engine.io.SafetensorsFormatException;
import io.spikeforge.engine.io.StateDictMismatchException;
import io.spikeforge.engine.io.WeightImport;
import io.spikeforge.api.model.Parameter;
import io.spikeforge.engine.model.Model;
import io.spikeforge.engine.tensor.OutsideWorkspaces;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The full training state of a model between two epochs, as one safetensors file: the model's
 * state dict under its PyTorch names (parameters and BN running statistics), the optimizer's
 * momentum buffers as {@code optimizer.momentum_buffer.<parameter>}, the model's architecture
 * ({@value WeightImport#ARCHITECTURE_KEY}), and string metadata that the caller adds (epoch, seeds,
 * configuration hash, ...) next to {@value #FORMAT_KEY}.
 *
 * <p>Data order and augmentation depend only on a loader's seed and the epoch, and the learning
 * rate only on the epoch, so this state plus the number of completed epochs is everything a
 * {@link TrainingLoop} needs to continue ({@link TrainingLoop.Builder#startAt}) and end with the
 * numbers of an uninterrupted training. Floating tensors are stored as F32, exact for the engine's
 * float models. Files are written atomically (temporary file, then rename).
 *
 * <p>Since the model's tensors keep their plain names, the file is also a weights file: a reader
 * that only wants the weights takes {@link #weights()}.
 *
 * @param file where it was read from
 * @param metadata the file's metadata, without {@value #FORMAT_KEY}
 * @param modelTensors the model's state dict
 * @param momentumBuffers momentum buffer by parameter name, for the parameters that had taken a step
 * @param dtypes each tensor's type in the file, by its name there
 */
public record TrainingCheckpoint(Path file, Map<String, String> metadata, Map<String, INDArray> modelTensors,
                                 Map<String, INDArray> momentumBuffers, Map<String, SafetensorsDtype> dtypes) {
    /** Metadata key marking a file as a checkpoint. */
    public static final String FORMAT_KEY = "format";
    /** Its value in files this version writes. */
    public static final String FORMAT = "spikeforge-checkpoint-1";
    /** Prefix of the optimizer's tensors. */
    public static final String MOMENTUM_PREFIX = "optimizer.momentum_buffer.";

    public TrainingCheckpoint {
        Objects.requireNonNull(file, "file");
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        modelTensors = Collections.unmodifiableMap(new LinkedHashMap<>(modelTensors));
        momentumBuffers = Collections.unmodifiableMap(new LinkedHashMap<>(momentumBuffers));
        dtypes = Collections.unmodifiableMap(new LinkedHashMap<>(dtypes));
    }

    /**
     * Writes a model's and its optimizer's state, atomically.
     *
     * @param metadata strings to keep with it; {@value #FORMAT_KEY} and
     *     {@value WeightImport#ARCHITECTURE_KEY} are reserved
     */
    public static void write(Path file, Model model, Sgd optimizer, Map<String, String> metadata)
            throws IOException {
        for (String reserved : List.of(FORMAT_KEY, WeightImport.ARCHITECTURE_KEY)) {
            if (metadata.containsKey(reserved)) {
                throw new IllegalArgumentException("metadata key '" + reserved + "' is reserved");
            }
        }
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        for (String name : model.stateDict().names()) {
            tensors.put(name, model.stateDict().get(name));
        }
        Map<Parameter, INDArray> buffers = optimizer.momentumBuffers();
        model.parameters().forEach((name, parameter) -> {
            INDArray buffer = buffers.get(parameter);
            if (buffer != null) {
                tensors.put(MOMENTUM_PREFIX + name, buffer);
            }
        });
        Map<String, String> all = new LinkedHashMap<>(metadata);
        all.put(WeightImport.ARCHITECTURE_KEY, model.architecture());
        all.put(FORMAT_KEY, FORMAT);
        Safetensors.write(file, tensors, all);
    }

    /** Whether a safetensors file read before is a checkpoint (rather than plain weights). */
    public static boolean isCheckpoint(SafetensorsFile file) {
        return FORMAT.equals(file.metadata().get(FORMAT_KEY));
    }

    /**
     * Reads a checkpoint.
     *
     * @throws SafetensorsFormatException when the file is not a safetensors file, or not a
     *     checkpoint of this format (the message names the file)
     */
    public static TrainingCheckpoint read(Path file) throws IOException {
        return of(file, Safetensors.read(file));
    }

    /** A checkpoint from a safetensors file already read. */
    public static TrainingCheckpoint of(Path file, SafetensorsFile contents) throws SafetensorsFormatException {
        String format = contents.metadata().get(FORMAT_KEY);
        if (!FORMAT.equals(format)) {
            throw new SafetensorsFormatException(file + ": not a Spikeforge checkpoint (metadata '" + FORMAT_KEY
                    + "' is " + (format == null ? "absent" : "'" + format + "'") + ", expected '" + FORMAT + "')");
        }
        Map<String, INDArray> model = new LinkedHashMap<>();
        Map<String, INDArray> momentum = new LinkedHashMap<>();
        contents.tensors().forEach((name, tensor) -> {
            if (name.startsWith(MOMENTUM_PREFIX)) {
                momentum.put(name.substring(MOMENTUM_PREFIX.length()), tensor);
            } else {
                model.put(name, tensor);
            }
        });
        Map<String, String> metadata = new LinkedHashMap<>(contents.metadata());
        metadata.remove(FORMAT_KEY);
        return new TrainingCheckpoint(file, metadata, model, momentum, contents.dtypes());
    }

    /** The model's tensors alone, with their types and the metadata, as a weights file would hold them. */
    public SafetensorsFile weights() {
        Map<String, SafetensorsDtype> modelTypes = new LinkedHashMap<>(dtypes);
        modelTypes.keySet().removeIf(name -> name.startsWith(MOMENTUM_PREFIX));
        return new SafetensorsFile(modelTensors, modelTypes, metadata);
    }

    /**
     * Copies the state into a model and its optimizer, after the checks of
     * {@link WeightImport#importInto(Path, SafetensorsFile, Map, Optional)} on the model's tensors
     * and the momentum buffers together: the architecture, names and shapes must be the model's,
     * and every value a finite floating-point number. A refused checkpoint changes nothing.
     *
     * @throws StateDictMismatchException listing every offending tensor
     */
    public void restore(Model model, Sgd optimizer) throws StateDictMismatchException {
        Map<String, INDArray> target = new LinkedHashMap<>();
        for (String name : model.stateDict().names()) {
            target.put(name, model.stateDict().get(name));
        }
        // a momentum buffer lands in a scratch array of its parameter's shape, so that it is checked
        // with everything else before the optimizer takes it
        Map<String, INDArray> momentumTargets = new LinkedHashMap<>();
        momentumBuffers.keySet().forEach(name -> {
            Parameter parameter = model.parameters().get(name);
            if (parameter != null) {
                momentumTargets.put(name, OutsideWorkspaces.zeros(parameter.value().dataType(),
                        parameter.value().shape()));
            }
        });
        Map<String, INDArray> all = new LinkedHashMap<>(modelTensors);
        momentumBuffers.forEach((name, buffer) -> all.put(MOMENTUM_PREFIX + name, buffer));
        momentumTargets.forEach((name, scratch) -> target.put(MOMENTUM_PREFIX + name, scratch));
        WeightImport.importInto(file, new SafetensorsFile(all, dtypes, metadata), target,
                Optional.of(model.architecture()));
        momentumTargets.forEach((name, buffer) -> optimizer.restoreMomentum(model.parameters().get(name), buffer));
    }

    /** A metadata value that must be present. */
    public String require(String key) throws SafetensorsFormatException {
        String value = metadata.get(key);
        if (value == null) {
            throw new SafetensorsFormatException(file + ": checkpoint metadata has no '" + key + "'");
        }
        return value;
    }
}
