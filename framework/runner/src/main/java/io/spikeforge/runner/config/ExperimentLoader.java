package io.spikeforge.runner.config;

import io.spikeforge.runner.plugin.ComponentRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Loads experiment files: reads the YAML safely, applies command-line overrides, validates against
 * the experiment schema and the installed components, and fills in every default.
 *
 * <p>All problems are collected and reported together, each with the file, line and column (or the
 * override) it comes from. Thread-safe.
 */
public final class ExperimentLoader {
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
     * @throws ConfigException listing every problem of the file and the overrides
     */
    public Experiment load(Path file, List<String> overrides) throws ConfigException {
        Objects.requireNonNull(file, "file");
        ConfigErrors errors = new ConfigErrors();
        List<CommandLineOverride> parsedOverrides = CommandLineOverride.parseAll(List.copyOf(overrides), errors);
        Optional<ConfigNode.Mapping> document = YamlReader.readFile(file, errors);
        if (document.isEmpty()) {
            throw errors.toException();
        }
        ConfigNode.Mapping tree = CommandLineOverride.applyAll(document.get(), parsedOverrides,
                ExperimentSchema::isSlot, errors);
        ResolvedSection resolved = new SchemaValidator(registry, errors)
                .validate(ExperimentSchema.ROOT, tree, YamlReader.startOf(file));
        if (!errors.isEmpty()) {
            throw errors.toException();
        }
        return ExperimentBinder.bind(resolved);
    }

    /** Loads an experiment without overrides. */
    public Experiment load(Path file) throws ConfigException {
        return load(file, List.of());
    }
}
