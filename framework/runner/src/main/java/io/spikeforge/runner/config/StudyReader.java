package io.spikeforge.runner.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads study files ({@link StudyFile}) with the experiment files' YAML reader: every problem is
 * reported at once with the file, line and column, the key and what was expected.
 */
public final class StudyReader {
    private static final List<String> KEYS = List.of("kind", "name", "description", "experiment", "overrides",
            "arms", "grid", "seeds", "launcher", "report");
    private static final List<String> LAUNCHER_KEYS = List.of("name", "parallel", "partition", "time", "cpus",
            "memory", "gpus", "max_parallel");

    private StudyReader() {
    }

    /**
     * Reads {@code file} if it is a study file ({@code kind: study}); empty for any other YAML file
     * (an experiment), which is left to the experiment loader.
     *
     * @throws ConfigException when the file cannot be read or parsed, or a study's keys are wrong
     */
    public static Optional<StudyFile> readIfStudy(Path file) throws ConfigException {
        ConfigErrors errors = new ConfigErrors();
        Optional<ConfigNode.Mapping> document = YamlReader.readFile(file, errors);
        if (document.isEmpty()) {
            throw errors.toException();
        }
        ConfigNode.Mapping root = document.get();
        boolean study = root.entry("kind").map(e -> e.value() instanceof ConfigNode.Scalar s
                && StudyFile.KIND.equals(s.value())).orElse(false);
        if (!study) {
            return Optional.empty();
        }
        StudyFile read = read(file, root, errors);
        if (!errors.isEmpty()) {
            throw errors.toException();
        }
        return Optional.of(read);
    }

    private static StudyFile read(Path file, ConfigNode.Mapping root, ConfigErrors errors) {
        for (ConfigNode.Entry entry : root.entries()) {
            if (!KEYS.contains(entry.key())) {
                errors.add(entry.keyLocation(), entry.key(), "unknown key of a study file"
                        + Messages.suggestion(entry.key(), KEYS) + "expected one of: " + String.join(", ", KEYS)
                        + " (see docs/studies.md)");
            }
        }
        String fileName = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        String name = string(root, "name", errors).orElse(fileName);
        if (!name.matches("[A-Za-z0-9._-]+")) {
            errors.add(location(root, "name"), "name", "expected a name of letters, digits, '.', '_' or '-' (it "
                    + "names the sweep folder), got '" + name + "'");
        }
        Optional<String> description = string(root, "description", errors);
        Optional<String> experiment = string(root, "experiment", errors);
        if (experiment.isEmpty() && root.entry("experiment").isEmpty()) {
            errors.add(YamlReader.startOf(file), "experiment", "a study needs its base experiment: experiment: "
                    + "<file>, relative to the study file's folder");
        }
        Path folder = file.toAbsolutePath().getParent();
        Path base = experiment.map(e -> folder.resolve(e).normalize()).orElse(Path.of(""));
        List<StudyFile.Setting> overrides = settings(root.entry("overrides"), "overrides", errors);
        Map<String, List<StudyFile.Setting>> arms = new LinkedHashMap<>();
        root.entry("arms").ifPresent(entry -> {
            if (entry.value() instanceof ConfigNode.Mapping mapping && !mapping.entries().isEmpty()) {
                for (ConfigNode.Entry arm : mapping.entries()) {
                    if (!arm.key().matches("[A-Za-z0-9._+-]+")) {
                        errors.add(arm.keyLocation(), "arms." + arm.key(), "expected an arm name of letters, "
                                + "digits, '.', '_', '+' or '-'");
                    }
                    arms.put(arm.key(), settings(Optional.of(arm), "arms." + arm.key(), errors));
                }
            } else {
                errors.add(entry.keyLocation(), "arms", "expected a mapping of arm names to their overrides, such "
                        + "as baseline: {initialization: none}, got " + ConfigNode.describe(entry.value()));
            }
        });
        List<StudyFile.Axis> grid = new ArrayList<>();
        root.entry("grid").ifPresent(entry -> {
            if (!(entry.value() instanceof ConfigNode.Mapping mapping)) {
                errors.add(entry.keyLocation(), "grid", "expected a mapping of keys to their values, such as "
                        + "training.schedule.every: [60, 20, 10], got " + ConfigNode.describe(entry.value()));
                return;
            }
            for (ConfigNode.Entry axis : mapping.entries()) {
                axis(axis, errors).ifPresent(grid::add);
            }
        });
        List<String> seeds = new ArrayList<>();
        ConfigLocation seedsLocation = location(root, "seeds");
        root.entry("seeds").ifPresent(entry -> {
            if (entry.value() instanceof ConfigNode.Sequence sequence && !sequence.items().isEmpty()
                    && sequence.items().stream().allMatch(i -> i instanceof ConfigNode.Scalar s && s.isInteger())) {
                sequence.items().forEach(item -> seeds.add(((ConfigNode.Scalar) item).text()));
            } else {
                errors.add(entry.keyLocation(), "seeds", "expected a list of integer seeds, such as [1, 2, 3], got "
                        + ConfigNode.describe(entry.value()));
            }
        });
        LauncherConfig launcher = launcher(root.entry("launcher"), errors);
        Map<String, Object> report = new LinkedHashMap<>();
        root.entry("report").ifPresent(entry -> {
            if (entry.value() instanceof ConfigNode.Mapping mapping) {
                mapping.entries().forEach(e -> report.put(e.key(), ConfigNode.toPlain(e.value())));
            } else if (!(entry.value() instanceof ConfigNode.Scalar s && s.isNull())) {
                errors.add(entry.keyLocation(), "report", "expected a mapping of report settings, such as "
                        + "target_accuracy: 0.85, got " + ConfigNode.describe(entry.value()));
            }
        });
        return new StudyFile(file, name, description, base, overrides, arms, grid, seeds, seedsLocation, launcher,
                report);
    }

    /** A mapping of dotted keys to values (empty, or null, for none), as overrides. */
    private static List<StudyFile.Setting> settings(Optional<ConfigNode.Entry> entry, String path,
                                                    ConfigErrors errors) {
        List<StudyFile.Setting> settings = new ArrayList<>();
        if (entry.isEmpty() || entry.get().value() instanceof ConfigNode.Scalar s && s.isNull()) {
            return settings;
        }
        if (!(entry.get().value() instanceof ConfigNode.Mapping mapping)) {
            errors.add(entry.get().keyLocation(), path, "expected a mapping of dotted keys to values, such as "
                    + "{initialization: none, distillation.weight: 0.5}, got "
                    + ConfigNode.describe(entry.get().value()));
            return settings;
        }
        for (ConfigNode.Entry setting : mapping.entries()) {
            if (setting.key().startsWith("~")) {
                errors.add(setting.keyLocation(), path + "." + setting.key(), "a study sets keys; to disable a slot "
                        + "write none, such as initialization: none");
                continue;
            }
            settings.add(new StudyFile.Setting(setting.key(), YamlText.flow(ConfigNode.toPlain(setting.value())),
                    setting.value().location()));
        }
        return settings;
    }

    private static Optional<StudyFile.Axis> axis(ConfigNode.Entry axis, ConfigErrors errors) {
        String path = "grid." + axis.key();
        List<String> values = new ArrayList<>();
        if (axis.value() instanceof ConfigNode.Sequence sequence && !sequence.items().isEmpty()) {
            sequence.items().forEach(item -> values.add(YamlText.flow(ConfigNode.toPlain(item))));
        } else if (axis.value() instanceof ConfigNode.Scalar s && s.isString()) {
            try {
                values.addAll(SweepValues.of((String) s.value()));
            } catch (IllegalArgumentException e) {
                errors.add(axis.value().location(), path, e.getMessage());
                return Optional.empty();
            }
        } else {
            errors.add(axis.keyLocation(), path, "expected the axis's values: a list such as [60, 20, 10], or "
                    + "range(1,4) or a,b,c, got " + ConfigNode.describe(axis.value()));
            return Optional.empty();
        }
        return Optional.of(new StudyFile.Axis(axis.key(), values, axis.keyLocation()));
    }

    private static LauncherConfig launcher(Optional<ConfigNode.Entry> entry, ConfigErrors errors) {
        LauncherConfig local = LauncherConfig.local();
        if (entry.isEmpty()) {
            return local;
        }
        if (!(entry.get().value() instanceof ConfigNode.Mapping mapping)) {
            errors.add(entry.get().keyLocation(), "launcher", "expected a mapping such as {name: local, parallel: "
                    + "2}, got " + ConfigNode.describe(entry.get().value()));
            return local;
        }
        for (ConfigNode.Entry key : mapping.entries()) {
            if (!LAUNCHER_KEYS.contains(key.key())) {
                errors.add(key.keyLocation(), "launcher." + key.key(), "unknown launcher key"
                        + Messages.suggestion(key.key(), LAUNCHER_KEYS) + "expected one of: "
                        + String.join(", ", LAUNCHER_KEYS));
            }
        }
        String name = string(mapping, "launcher", "name", errors).orElse(LauncherConfig.LOCAL);
        if (!LauncherConfig.NAMES.contains(name)) {
            errors.add(location(mapping, "name"), "launcher.name", "unknown launcher '" + name + "'"
                    + Messages.suggestion(name, LauncherConfig.NAMES) + "expected one of: "
                    + String.join(", ", LauncherConfig.NAMES));
            name = LauncherConfig.LOCAL;
        }
        int parallel = integer(mapping, "parallel", 1, errors).orElse(1);
        Optional<Integer> cpus = integer(mapping, "cpus", 1, errors);
        int gpus = integer(mapping, "gpus", 0, errors).orElse(0);
        Optional<Integer> maxParallel = integer(mapping, "max_parallel", 1, errors);
        return new LauncherConfig(name, parallel, string(mapping, "launcher", "partition", errors),
                string(mapping, "launcher", "time", errors), cpus, string(mapping, "launcher", "memory", errors),
                gpus, maxParallel);
    }

    private static Optional<Integer> integer(ConfigNode.Mapping mapping, String key, int min, ConfigErrors errors) {
        Optional<ConfigNode.Entry> entry = mapping.entry(key);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        if (entry.get().value() instanceof ConfigNode.Scalar s && s.value() instanceof Integer value
                && value >= min) {
            return Optional.of(value);
        }
        errors.add(entry.get().value().location(), "launcher." + key, "expected an integer >= " + min + ", got "
                + ConfigNode.describe(entry.get().value()));
        return Optional.empty();
    }

    private static Optional<String> string(ConfigNode.Mapping mapping, String key, ConfigErrors errors) {
        return string(mapping, "", key, errors);
    }

    /** A string value; a number (a memory of 16000, a partition named 1) is taken as written. */
    private static Optional<String> string(ConfigNode.Mapping mapping, String section, String key,
                                           ConfigErrors errors) {
        Optional<ConfigNode.Entry> entry = mapping.entry(key);
        if (entry.isEmpty() || entry.get().value() instanceof ConfigNode.Scalar n && n.isNull()) {
            return Optional.empty();
        }
        if (entry.get().value() instanceof ConfigNode.Scalar s && !(s.value() instanceof Boolean)) {
            return Optional.of(s.isString() ? (String) s.value() : s.text());
        }
        errors.add(entry.get().value().location(), section.isEmpty() ? key : section + "." + key, "expected a "
                + "string, got " + ConfigNode.describe(entry.get().value()));
        return Optional.empty();
    }

    private static ConfigLocation location(ConfigNode.Mapping mapping, String key) {
        return mapping.entry(key).map(ConfigNode.Entry::keyLocation).orElse(mapping.location());
    }

}
