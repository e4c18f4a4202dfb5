package io.spikeforge.engine.io;

import io.spikeforge.api.model.StateDict;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Imports weights from a safetensors file into a model's tensors, matched by PyTorch name and
 * layout (convolution weights {@code [out, in, kH, kW]}, BN {@code running_mean} and
 * {@code running_var}). Tensors named {@code *num_batches_tracked} are ignored on both sides.
 *
 * <p>Every file is checked before anything is written, so a refused import leaves the model
 * unchanged, and every problem is reported at once ({@link StateDictMismatchException}):
 * <ul>
 *   <li>metadata written by Spikeforge ({@value #ARCHITECTURE_KEY}, {@value #MODEL_KEY}) that names
 *       another architecture than the model's, such as a spiking student's weights loaded as an
 *       ANN; a file without that metadata (as PyTorch writes it) is judged by names and shapes;</li>
 *   <li>missing, unexpected and mis-shaped tensors;</li>
 *   <li>integer or boolean tensors where the model holds floating-point values (or the reverse):
 *       a cast would turn them into numbers nobody trained; F16, BF16, F32 and F64 all load;</li>
 *   <li>NaN or infinite values, including F64 values beyond the float range.</li>
 * </ul>
 */
public final class WeightImport {
    /** Suffix of PyTorch's BN step counter, which has no counterpart in this engine. */
    public static final String IGNORED_SUFFIX = "num_batches_tracked";
    /** Metadata key of the architecture a Spikeforge weights file or checkpoint holds, such as {@code resnet20}. */
    public static final String ARCHITECTURE_KEY = "architecture";
    /** Metadata key of the role of the model a Spikeforge file holds: {@code teacher} or {@code student}. */
    public static final String MODEL_KEY = "model";

    private WeightImport() {
    }

    /**
     * The outcome of an import.
     *
     * @param file the file read
     * @param assigned the model's tensors that were overwritten, in model order
     * @param ignored the file's tensors that were skipped ({@value #IGNORED_SUFFIX})
     */
    public record Report(Path file, List<String> assigned, List<String> ignored) {
        public Report {
            assigned = List.copyOf(assigned);
            ignored = List.copyOf(ignored);
        }
    }

    /** Reads a file and copies its tensors into a state dict's arrays (and so into its model). */
    public static Report importInto(Path file, StateDict target) throws IOException {
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        for (String name : target.names()) {
            tensors.put(name, target.get(name));
        }
        return importInto(file, tensors);
    }

    /** Reads a file and copies its tensors into the given arrays, converting to each array's data type. */
    public static Report importInto(Path file, Map<String, INDArray> target) throws IOException {
        return importInto(file, Safetensors.read(file), target, Optional.empty());
    }

    /**
     * Copies tensors already read into the given arrays, converting to each array's data type.
     *
     * @param file the file they came from, for messages
     * @param architecture the model's architecture ({@code resnet20}, {@code spiking-resnet8}), which
     *     the file's {@value #ARCHITECTURE_KEY} metadata must equal where it has one; empty to skip
     *     that check
     * @throws StateDictMismatchException listing every problem (see the class documentation)
     */
    public static Report importInto(Path file, SafetensorsFile source, Map<String, INDArray> target,
                                    Optional<String> architecture) throws StateDictMismatchException {
        List<String> missing = new ArrayList<>();
        List<String> shapeMismatches = new ArrayList<>();
        List<String> dtypeMismatches = new ArrayList<>();
        List<String> nonFinite = new ArrayList<>();
        List<String> assigned = new ArrayList<>();
        for (Map.Entry<String, INDArray> entry : target.entrySet()) {
            String name = entry.getKey();
            if (isIgnored(name)) {
                continue;
            }
            INDArray loaded = source.tensors().get(name);
            if (loaded == null) {
                missing.add(name);
                continue;
            }
            if (!Arrays.equals(loaded.shape(), entry.getValue().shape())) {
                shapeMismatches.add(name + ": file " + Arrays.toString(loaded.shape()) + ", model "
                        + Arrays.toString(entry.getValue().shape()));
            }
            typeMismatch(name, source, entry.getValue().dataType()).ifPresent(dtypeMismatches::add);
            nonFinite(name, loaded).ifPresent(nonFinite::add);
            assigned.add(name);
        }
        List<String> unexpected = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (String name : source.tensors().keySet()) {
            if (isIgnored(name)) {
                ignored.add(name);
            } else if (!target.containsKey(name)) {
                unexpected.add(name);
            }
        }
        StateDictMismatchException.Problems problems = new StateDictMismatchException.Problems(
                architecture.flatMap(expected -> otherModel(source.metadata(), expected)), missing, unexpected,
                shapeMismatches, dtypeMismatches, nonFinite);
        if (!problems.none()) {
            throw new StateDictMismatchException(file, problems);
        }
        for (String name : assigned) {
            INDArray destination = target.get(name);
            destination.assign(source.tensors().get(name).castTo(destination.dataType()));
        }
        return new Report(file, assigned, ignored);
    }

    /**
     * What a file's metadata says it holds, when it names another architecture than
     * {@code expected}: {@code spiking-resnet8 (model 'student')}.
     */
    static Optional<String> otherModel(Map<String, String> metadata, String expected) {
        String architecture = metadata.get(ARCHITECTURE_KEY);
        if (architecture == null || architecture.equals(expected)) {
            return Optional.empty();
        }
        String model = metadata.get(MODEL_KEY);
        return Optional.of(architecture + (model == null ? "" : " (model '" + model + "')") + ", not a " + expected);
    }

    /**
     * An entry for {@link StateDictMismatchException#dtypeMismatches()} when a tensor's type in the
     * file (or, for tensors not read from a file, its array's) is integer where {@code target} is
     * floating point, or the reverse.
     */
    static Optional<String> typeMismatch(String name, SafetensorsFile source, DataType target) {
        SafetensorsDtype stored = source.dtypes().get(name);
        boolean floating = stored != null ? stored.isFloating() : source.tensors().get(name).dataType().isFPType();
        if (floating == target.isFPType()) {
            return Optional.empty();
        }
        String inFile = stored != null ? stored.name() : source.tensors().get(name).dataType().toString();
        return Optional.of(name + ": " + inFile + " in the file, " + (target.isFPType() ? "floating point" : "integer")
                + " in the model");
    }

    /** An entry for {@link StateDictMismatchException#nonFinite()} when a tensor holds NaN or infinite values. */
    static Optional<String> nonFinite(String name, INDArray values) {
        if (!values.dataType().isFPType() || values.isEmpty()) {
            return Optional.empty();
        }
        long nan = 0;
        long infinite = 0;
        for (double value : values.dup('c').data().asDouble()) {
            if (Double.isNaN(value)) {
                nan++;
            } else if (Double.isInfinite(value)) {
                infinite++;
            }
        }
        if (nan == 0 && infinite == 0) {
            return Optional.empty();
        }
        List<String> counts = new ArrayList<>();
        if (nan > 0) {
            counts.add(nan + " NaN");
        }
        if (infinite > 0) {
            counts.add(infinite + " infinite");
        }
        return Optional.of(name + ": " + String.join(", ", counts) + " of " + values.length() + " values");
    }

    private static boolean isIgnored(String name) {
        return name.endsWith(IGNORED_SUFFIX);
    }
}
