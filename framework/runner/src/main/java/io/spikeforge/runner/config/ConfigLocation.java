package io.spikeforge.runner.config;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.Objects;

/** Where a configuration value came from: a place in the experiment file or a command-line override. */
public sealed interface ConfigLocation permits ConfigLocation.InFile, ConfigLocation.InOverride {

    /** Reading order: the file's problems by line and column, then the overrides' in argument order. */
    Comparator<ConfigLocation> READING_ORDER = Comparator
            .comparingInt((ConfigLocation l) -> l instanceof InFile ? 0 : 1)
            .thenComparingInt(l -> l instanceof InFile f ? f.line() : ((InOverride) l).position())
            .thenComparingInt(l -> l instanceof InFile f ? f.column() : 0);

    /**
     * A place in a file.
     *
     * @param file the file as it was given (relative paths stay relative, so messages stay short)
     * @param line 1-based line, or 0 when the problem concerns the whole file
     * @param column 1-based column, or 0 when the problem concerns the whole file
     */
    record InFile(Path file, int line, int column) implements ConfigLocation {
        public InFile {
            Objects.requireNonNull(file, "file");
        }

        /** The location of a problem with the file as a whole, such as a missing file. */
        public static InFile wholeFile(Path file) {
            return new InFile(file, 0, 0);
        }

        @Override
        public String toString() {
            return line == 0 ? file.toString() : file + ":" + line + ":" + column;
        }
    }

    /**
     * A command-line override.
     *
     * @param argument the override as it was given, such as {@code neuron.decay=2}
     * @param position its 1-based position in the list of overrides
     */
    record InOverride(String argument, int position) implements ConfigLocation {
        public InOverride {
            Objects.requireNonNull(argument, "argument");
        }

        @Override
        public String toString() {
            return "command-line override '" + argument + "' (argument " + position + ")";
        }
    }
}
