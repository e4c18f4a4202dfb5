package io.spikeforge.runner.sweep;

import io.spikeforge.common.AtomicFiles;
import io.spikeforge.runner.config.ConfigException;
import io.spikeforge.runner.config.LauncherConfig;
import io.spikeforge.runner.config.PlainYaml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A sweep folder's {@code sweep.yaml}: the resolved sweep ({@link Sweep}), and the base experiment's
 * resolved configuration for the record. Its layout:
 * <pre>
 * sweep:
 *   name: idsnn-ablation-fashion-mnist
 *   source: /abs/experiments/studies/idsnn-ablation-fashion-mnist.yaml
 *   experiment: /abs/experiments/fashion-mnist-idsnn.yaml
 *   working_directory: /abs/project
 *   created: 2026-12-06T17:45:00Z
 * overrides: [training.epochs=1]
 * launcher:
 *   name: local
 *   parallel: 1
 *   partition: null
 *   time: null
 *   cpus: null
 *   memory: null
 *   gpus: 0
 *   max_parallel: null
 * report:
 *   target_accuracy: 0.85
 * arms:
 *   - index: 0
 *     name: baseline,seed=1
 *     folder: arms/000-baseline_seed=1
 *     overrides:
 *       initialization: none
 *       experiment.seed: "1"
 * experiment:        the base experiment with the common overrides, resolved (absent if only the arms resolve)
 *   kind: distill
 *   ...
 * </pre>
 */
public final class SweepFile {
    private SweepFile() {
    }

    /** Writes {@code sweep.yaml} atomically; {@code resolvedBase} is the base experiment's resolved YAML, if any. */
    public static void write(SweepFolder folder, Sweep sweep, Optional<String> resolvedBase, String created)
            throws IOException {
        Map<String, Object> head = new LinkedHashMap<>();
        head.put("name", sweep.name());
        head.put("source", sweep.source().toString());
        head.put("experiment", sweep.experiment().toString());
        head.put("working_directory", sweep.workingDirectory().toString());
        head.put("created", created);
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("sweep", head);
        document.put("overrides", sweep.overrides());
        LauncherConfig launcher = sweep.launcher();
        Map<String, Object> launcherMap = new LinkedHashMap<>();
        launcherMap.put("name", launcher.name());
        launcherMap.put("parallel", launcher.parallel());
        launcherMap.put("partition", launcher.partition().orElse(null));
        launcherMap.put("time", launcher.time().orElse(null));
        launcherMap.put("cpus", launcher.cpus().orElse(null));
        launcherMap.put("memory", launcher.memory().orElse(null));
        launcherMap.put("gpus", launcher.gpus());
        launcherMap.put("max_parallel", launcher.maxParallel().orElse(null));
        document.put("launcher", launcherMap);
        document.put("report", sweep.report());
        List<Map<String, Object>> arms = new ArrayList<>();
        for (Arm arm : sweep.arms()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("index", arm.index());
            item.put("name", arm.name());
            item.put("folder", folder.root().relativize(folder.armFolder(arm)).toString());
            item.put("overrides", arm.overrides());
            arms.add(item);
        }
        document.put("arms", arms);
        StringBuilder text = new StringBuilder("# The resolved sweep, written by spikeforge sweep (docs/studies.md)\n");
        text.append(PlainYaml.write(document));
        resolvedBase.ifPresent(base -> text.append("experiment:\n").append(base.lines()
                .filter(line -> !line.startsWith("#"))
                .map(line -> line.isEmpty() ? line : "  " + line).collect(Collectors.joining("\n"))).append('\n'));
        Files.createDirectories(folder.root());
        AtomicFiles.write(folder.sweepFile(), text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The {@code report:} section of a sweep folder's {@code sweep.yaml}, as plain values; empty
     * when it has none (or the file holds no mapping, as a hand-made sweep's may not).
     *
     * @throws ConfigException when the file is not YAML or its {@code report} is not a mapping
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> readReport(SweepFolder folder) throws ConfigException, IOException {
        Object report;
        try {
            report = PlainYaml.read(folder.sweepFile()).get("report");
        } catch (ConfigException e) {
            if (Files.readString(folder.sweepFile()).lines().allMatch(line -> line.isBlank()
                    || line.strip().startsWith("#"))) {
                return Map.of();
            }
            throw e;
        }
        if (report == null) {
            return Map.of();
        }
        if (!(report instanceof Map<?, ?> map)) {
            throw Fields.error(folder.sweepFile(), "report", "expected a mapping of report settings");
        }
        return (Map<String, Object>) map;
    }

    /**
     * Reads a sweep folder's {@code sweep.yaml}.
     *
     * @throws ConfigException when it is not YAML, or a key is missing or of the wrong type (the
     *     message names the file and the key)
     */
    @SuppressWarnings("unchecked")
    public static Sweep read(SweepFolder folder) throws ConfigException, IOException {
        Path file = folder.sweepFile();
        Map<String, Object> document = PlainYaml.read(file);
        Fields top = new Fields(file, "", document);
        Fields head = top.section("sweep");
        Fields launcherFields = top.section("launcher");
        LauncherConfig launcher;
        try {
            launcher = new LauncherConfig(launcherFields.string("name"), launcherFields.integer("parallel"),
                    launcherFields.optionalString("partition"), launcherFields.optionalString("time"),
                    launcherFields.optionalInteger("cpus"), launcherFields.optionalString("memory"),
                    launcherFields.integer("gpus"), launcherFields.optionalInteger("max_parallel"));
        } catch (IllegalArgumentException e) {
            throw Fields.error(file, "launcher", e.getMessage());
        }
        List<Arm> arms = new ArrayList<>();
        Object armList = document.get("arms");
        if (!(armList instanceof List<?> items) || items.isEmpty()) {
            throw Fields.error(file, "arms", "expected the list of arms");
        }
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof Map<?, ?> item)) {
                throw Fields.error(file, "arms[" + i + "]", "expected an arm: index, name, folder, overrides");
            }
            Fields arm = new Fields(file, "arms[" + i + "].", (Map<String, Object>) item);
            Map<String, String> overrides = new LinkedHashMap<>();
            Object given = item.get("overrides");
            if (given instanceof Map<?, ?> map) {
                map.forEach((key, value) -> overrides.put(key.toString(), value instanceof String s ? s
                        : PlainYaml.flow(value)));
            } else if (given != null) {
                throw Fields.error(file, "arms[" + i + "].overrides", "expected a mapping of keys to values");
            }
            try {
                arms.add(new Arm(arm.integer("index"), arm.string("name"), overrides));
            } catch (IllegalArgumentException e) {
                throw Fields.error(file, "arms[" + i + "]", e.getMessage());
            }
        }
        List<String> overrides = new ArrayList<>();
        if (document.get("overrides") instanceof List<?> list) {
            list.forEach(o -> overrides.add(String.valueOf(o)));
        }
        Map<String, Object> report = document.get("report") instanceof Map<?, ?> map
                ? (Map<String, Object>) map : Map.of();
        try {
            return new Sweep(head.string("name"), Path.of(head.string("source")), Path.of(head.string("experiment")),
                    Path.of(head.string("working_directory")), overrides, arms, launcher, report);
        } catch (IllegalArgumentException e) {
            throw Fields.error(file, "arms", e.getMessage());
        }
    }

    /** Typed access to one mapping of the file, with errors naming the file and the key. */
    private record Fields(Path file, String prefix, Map<String, Object> values) {
        @SuppressWarnings("unchecked")
        Fields section(String key) throws ConfigException {
            if (values.get(key) instanceof Map<?, ?> map) {
                return new Fields(file, prefix + key + ".", (Map<String, Object>) map);
            }
            throw error(file, prefix + key, "expected a mapping");
        }

        String string(String key) throws ConfigException {
            return optionalString(key).orElseThrow(() -> error(file, prefix + key, "expected a string"));
        }

        Optional<String> optionalString(String key) {
            Object value = values.get(key);
            return value == null ? Optional.empty() : Optional.of(value.toString());
        }

        int integer(String key) throws ConfigException {
            return optionalInteger(key).orElseThrow(() -> error(file, prefix + key, "expected an integer"));
        }

        Optional<Integer> optionalInteger(String key) throws ConfigException {
            Object value = values.get(key);
            if (value == null) {
                return Optional.empty();
            }
            if (value instanceof Integer number) {
                return Optional.of(number);
            }
            throw error(file, prefix + key, "expected an integer, got " + value);
        }

        static ConfigException error(Path file, String key, String message) {
            return new ConfigException(List.of(new io.spikeforge.runner.config.ConfigError(
                    io.spikeforge.runner.config.ConfigLocation.InFile.wholeFile(file), key, message
                            + " (a sweep.yaml written by spikeforge sweep)")));
        }
    }
}
