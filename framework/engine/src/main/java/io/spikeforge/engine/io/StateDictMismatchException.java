package io.spikeforge.engine.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A weights file does not fit a model: lists every tensor missing from the file, every tensor the
 * model does not have, and every shape that differs, all at once.
 */
public class StateDictMismatchException extends IOException {
    private final List<String> missing;
    private final List<String> unexpected;
    private final List<String> shapeMismatches;

    public StateDictMismatchException(Path file, List<String> missing, List<String> unexpected,
                                      List<String> shapeMismatches) {
        super(message(file, missing, unexpected, shapeMismatches));
        this.missing = List.copyOf(missing);
        this.unexpected = List.copyOf(unexpected);
        this.shapeMismatches = List.copyOf(shapeMismatches);
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

    private static String message(Path file, List<String> missing, List<String> unexpected, List<String> shapes) {
        StringBuilder text = new StringBuilder(file + " does not fit the model ("
                + (missing.size() + unexpected.size() + shapes.size()) + " problems):");
        section(text, "missing in the file", missing);
        section(text, "unexpected in the file", unexpected);
        section(text, "shapes that differ", shapes);
        String hint = prefixHint(missing, unexpected);
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
