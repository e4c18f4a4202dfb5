package io.spikeforge.runner.config;

import io.spikeforge.runner.plugin.ComponentRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads experiment files: reads the YAML safely, applies command-line overrides, validates against
 * the experiment schema and the installed components, and fills in every default.
 *
 * <p>All problems are collected and reported together, each with the file, line and column (or the
 * override) it comes from. The paths it names are checked too: a data set folder or teacher weights
 * of the wrong kind (a file for a folder, a folder for a file) is a problem, one that does not
 * exist yet a warning. Thread-safe.
 */
public final class ExperimentLoader {
    private static final Logger LOG = LoggerFactory.getLogger(ExperimentLoader.class);

    private final ComponentRegistry registry;

    /** A loader that validates component slots against {@code registry}. */
    public ExperimentLoader(ComponentRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * Loads an experiment.
     *
     * @param file the YAML file; a relative path resolves against the current working directory
     * @param overrides Hydra-style overrides applied in order: {@code dotted.key=yaml-value} sets a key,
     *     {@code ~dotted.key} removes it so that its default applies
     * @param warnings told, in reading order, what does not make the experiment invalid but matters
     *     to its user: a data set or weights file that does not exist (yet), a component recorded
     *     with another version of its plugin; told before the exception, if there is one
     * @throws ConfigException listing every problem of the file and the overrides
     */
    public Experiment load(Path file, List<String> overrides, Consumer<ConfigError> warnings) throws ConfigException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(warnings, "warnings");
        ConfigErrors errors = new ConfigErrors();
        try {
            return load(file, overrides, false, errors);
        } finally {
            errors.warnings().forEach(warnings);
        }
    }

    /**
     * Loads a run's resolved configuration (its {@code config.yaml}) to resume the run: as
     * {@link #load(Path, List, Consumer)} without overrides, but a file written by an earlier
     * Spikeforge means what it meant to that version (a model's {@code depth} that its
     * {@code blocks_per_stage} do not make is read as theirs, with a warning).
     *
     * @throws ConfigException listing every problem of the file
     */
    public Experiment loadRecorded(Path runConfig, Consumer<ConfigError> warnings) throws ConfigException {
        Objects.requireNonNull(runConfig, "runConfig");
        Objects.requireNonNull(warnings, "warnings");
        ConfigErrors errors = new ConfigErrors();
        try {
            return load(runConfig, List.of(), true, errors);
        } finally {
            errors.warnings().forEach(warnings);
        }
    }

    /** Loads an experiment, logging its warnings (see {@link #load(Path, List, Consumer)}). */
    public Experiment load(Path file, List<String> overrides) throws ConfigException {
        return load(file, overrides, warning -> LOG.warn("{}", warning));
    }

    /** Loads an experiment without overrides, logging its warnings. */
    public Experiment load(Path file) throws ConfigException {
        return load(file, List.of());
    }

    private Experiment load(Path file, List<String> overrides, boolean recorded, ConfigErrors errors)
            throws ConfigException {
        List<CommandLineOverride> parsedOverrides = CommandLineOverride.parseAll(List.copyOf(overrides), errors);
        Optional<ConfigNode.Mapping> document = YamlReader.readFile(file, errors);
        if (document.isEmpty()) {
            throw errors.toException();
        }
        ConfigNode.Mapping written = recorded ? RecordedConfig.asBuilt(document.get(), errors) : document.get();
        ConfigNode.Mapping tree = CommandLineOverride.applyAll(written, parsedOverrides, ExperimentSchema::isSlot,
                errors);
        Optional<ExperimentKind> kind = kindOf(tree, errors);
        if (kind.isEmpty()) {
            throw errors.toException();
        }
        ResolvedSection resolved = new SchemaValidator(registry, errors)
                .validate(kind.get(), tree, YamlReader.startOf(file));
        if (!errors.isEmpty()) {
            throw errors.toException();
        }
        return ExperimentBinder.bind(kind.get(), resolved);
    }

    /**
     * The kind the file's {@code kind:} names ({@link ExperimentKind#DEFAULT} without one); empty,
     * with the problem reported, when it names none: the other keys depend on it.
     */
    private static Optional<ExperimentKind> kindOf(ConfigNode.Mapping tree, ConfigErrors errors) {
        Optional<ConfigNode.Entry> entry = tree.entry("kind");
        if (entry.isEmpty()) {
            return Optional.of(ExperimentKind.DEFAULT);
        }
        List<String> kinds = java.util.Arrays.stream(ExperimentKind.values()).map(ExperimentKind::yamlName).toList();
        if (entry.get().value() instanceof ConfigNode.Scalar scalar && scalar.value() instanceof String word) {
            for (ExperimentKind kind : ExperimentKind.values()) {
                if (kind.yamlName().equals(word)) {
                    return Optional.of(kind);
                }
            }
            errors.add(entry.get().keyLocation(), "kind", "unknown kind '" + word + "'"
                    + Messages.suggestion(word, kinds) + "expected one of: " + String.join(", ", kinds)
                    + " (see docs/experiments.md)");
        } else {
            errors.add(entry.get().keyLocation(), "kind", "expected a kind, one of: " + String.join(", ", kinds));
        }
        return Optional.empty();
    }
}
