package io.spikeforge.engine.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A weights file cannot be loaded into a model. Lists every problem at once: the file's metadata
 * naming another architecture, tensors missing from the file, tensors the model does not have,
 * shapes that differ, integer tensors where the model holds floating-point values, and tensors
 * with NaN or infinite values.
 */
public class StateDictMismatchException extends IOException {
    private final Optional<String> otherModel;
    private final List<String> missing;
    private final List<String> unexpected;
    private final List<String> shapeMismatches;
    private final List<String> dtypeMismatches;
    private final List<String> nonFinite;

    /** Names and shapes that do not match; see {@link #StateDictMismatchException(Path, Problems)}. */
    public StateDictMismatchException(Path file, List<String> missing, List<String> unexpected,
                                      List<String> shapeMismatches) {
        this(file, new Problems(Optional.empty(), missing, unexpected, shapeMismatches, List.of(), List.of()));
    }

    public StateDictMismatchException(Path file, Problems problems) {
        super(message(file, problems));
        this.otherModel = problems.otherModel();
        this.missing = problems.missing();
        this.unexpected = problems.unexpected();
        this.shapeMismatches = problems.shapeMismatches();
        this.dtypeMismatches = problems.dtypeMismatches();
        this.nonFinite = problems.nonFinite();
    }

    /**
     * Everything wrong with a file for a model.
     *
     * @param otherModel what the file's metadata says it holds, when that is not the model's
     *     architecture: {@code spiking-resnet8 (model 'student')}
     * @param missing names the model has and the file lacks
     * @param unexpected names the file has and the model lacks
     * @param shapeMismatches {@code name: file [..], model [..]}
     * @param dtypeMismatches {@code name: I64 in the file, floating point in the model}
     * @param nonFinite {@code name: 2 NaN, 1 infinite of 10 values}
     */
    public record Problems(Optional<String> otherModel, List<String> missing, List<String> unexpected,
                           List<String> shapeMismatches, List<String> dtypeMismatches, List<String> nonFinite) {
        public Problems {
            missing = List.copyOf(missing);
            unexpected = List.copyOf(unexpected);
            shapeMismatches = List.copyOf(shapeMismatches);
            dtypeMismatches = List.copyOf(dtypeMismatches);
            nonFinite = List.copyOf(nonFinite);
        }

        /** True when there is nothing to report. */
        public boolean none() {
            return count() == 0;
        }

        int count() {
            return (otherModel.isPresent() ? 1 : 0) + missing.size() + unexpected.size() + shapeMismatches.size()
                    + dtypeMismatches.size() + nonFinite.size();
        }
    }

    /** What the file's metadata says it holds, when that is another architecture than the model's. */
    public Optional<String> otherModel() {
        return otherModel;
    }

    /** Names the model has and the file lacks. */
    public List<String> missing() {
        return missing;
    }

    /** Names the file has and the model lacks. */
    public List<String> unexpected() {
        return unexpected;
    }

    /** One entry per tensor whose shapes differ: {@code name: file [..], model [..]}. */
    public List<String> shapeMismatches() {
        return shapeMismatches;
    }

    /** One entry per integer (or boolean) tensor where the model holds floating-point values, or the reverse. */
    public List<String> dtypeMismatches() {
        return dtypeMismatches;
    }

    /** One entry per tensor holding NaN or infinite values, with their counts. */
    public List<String> nonFinite() {
        return nonFinite;
    }

    /**
     * True when the file holds the weights of another network than the model (another architecture,
     * names or shapes), rather than damaged or mistyped values of the right one.
     */
    public boolean otherNetwork() {
        return otherModel.isPresent() || !missing.isEmpty() || !unexpected.isEmpty() || !shapeMismatches.isEmpty();
    }

    private static String message(Path file, Problems problems) {
        int count = problems.count();
        StringBuilder text = new StringBuilder(file + " does not fit the model (" + count
                + (count == 1 ? " problem):" : " problems):"));
        problems.otherModel().ifPresent(other -> text.append(System.lineSeparator())
                .append("  its metadata says it holds a ").append(other));
        section(text, "missing in the file", problems.missing());
        section(text, "unexpected in the file", problems.unexpected());
        section(text, "shapes that differ", problems.shapeMismatches());
        section(text, "number types that differ (floating-point values must be stored as F16, BF16, F32 or F64)",
                problems.dtypeMismatches());
        section(text, "NaN or infinite values (a damaged file, or one saved from a diverged training)",
                problems.nonFinite());
        String hint = prefixHint(problems.missing(), problems.unexpected());
        if (!hint.isEmpty()) {
            text.append(System.lineSeparator()).append(hint);
        }
        return text.toString();
    }

    private static void section(StringBuilder text, String title, List<String> items) {
        if (items.isEmpty()) {
            return;
        }
        text.append(System.lineSeparator()).append("  ").append(title).append(" (").append(items.size()).append("):");
        for (String item : items) {
            text.append(System.lineSeparator()).append("    ").append(item);
        }
    }

    /** Weights saved from {@code nn.DataParallel} carry a {@code module.} prefix on every name. */
    private static String prefixHint(List<String> missing, List<String> unexpected) {
        String prefix = "module.";
        if (!unexpected.isEmpty() && unexpected.stream().allMatch(name -> name.startsWith(prefix)
                && missing.contains(name.substring(prefix.length())))) {
            return "  hint: the file's names start with '" + prefix + "' (saved from nn.DataParallel?); "
                    + "strip that prefix when saving";
        }
        return "";
    }
}
