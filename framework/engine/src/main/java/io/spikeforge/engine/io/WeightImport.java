package io.spikeforge.engine.io;

import io.spikeforge.api.model.StateDict;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Imports PyTorch weights from a safetensors file into a model's tensors, matched by PyTorch name
 * and layout (convolution weights {@code [out, in, kH, kW]}, BN {@code running_mean} and
 * {@code running_var}). Tensors named {@code *num_batches_tracked} are ignored on both sides.
 *
 * <p>All names and shapes are checked before anything is written, so a failed import leaves the
 * model unchanged.
 */
public final class WeightImport {
    /** Suffix of PyTorch's BN step counter, which has no counterpart in this engine. */
    public static final String IGNORED_SUFFIX = "num_batches_tracked";

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
        return importInto(file, Safetensors.read(file), target);
    }

    /**
     * Copies tensors already read into the given arrays.
     *
     * @param file the file they came from, for messages
     * @throws StateDictMismatchException listing every missing, unexpected and mis-shaped tensor
     */
    public static Report importInto(Path file, SafetensorsFile source, Map<String, INDArray> target)
            throws StateDictMismatchException {
        List<String> missing = new ArrayList<>();
        List<String> shapeMismatches = new ArrayList<>();
        List<String> assigned = new ArrayList<>();
        for (Map.Entry<String, INDArray> entry : target.entrySet()) {
            String name = entry.getKey();
            if (isIgnored(name)) {
                continue;
            }
            INDArray loaded = source.tensors().get(name);
            if (loaded == null) {
                missing.add(name);
            } else if (!Arrays.equals(loaded.shape(), entry.getValue().shape())) {
                shapeMismatches.add(name + ": file " + Arrays.toString(loaded.shape()) + ", model "
                        + Arrays.toString(entry.getValue().shape()));
            } else {
                assigned.add(name);
            }
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
        if (!missing.isEmpty() || !unexpected.isEmpty() || !shapeMismatches.isEmpty()) {
            throw new StateDictMismatchException(file, missing, unexpected, shapeMismatches);
        }
        for (String name : assigned) {
            INDArray destination = target.get(name);
            destination.assign(source.tensors().get(name).castTo(destination.dataType()));
        }
        return new Report(file, assigned, ignored);
    }

    private static boolean isIgnored(String name) {
        return name.endsWith(IGNORED_SUFFIX);
    }
}
