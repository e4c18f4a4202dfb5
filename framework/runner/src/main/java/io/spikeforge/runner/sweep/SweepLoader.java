package io.spikeforge.runner.sweep;

import io.spikeforge.runner.config.ConfigError;
import io.spikeforge.runner.config.ConfigException;
import io.spikeforge.runner.config.ConfigLocation;
import io.spikeforge.runner.config.Experiment;
import io.spikeforge.runner.config.ExperimentLoader;
import io.spikeforge.runner.config.LauncherConfig;
import io.spikeforge.runner.config.StudyFile;
import io.spikeforge.runner.config.StudyReader;
import io.spikeforge.runner.config.SweepValues;
import io.spikeforge.runner.plugin.ComponentRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Defines a sweep from a study file or an experiment file with Hydra-style overrides, and validates
 * every arm's experiment before anything runs or is written.
 *
 * <p>An override whose value is several values ({@code key=a,b,c}, {@code key=range(1,4)}, see
 * {@link SweepValues}) is a grid axis; {@code seed=...} stands for {@code experiment.seed}; any other
 * override applies to every arm. A study's arms are its named arms x its grid axes (then the command
 * line's) x its seeds, in that order, the last varying fastest. Each arm applies, in order: the
 * study's {@code overrides}, the arm's own, its grid values, its seed, then the command line's
 * single-valued overrides (the command line wins; a single value for a key the study sweeps, such
 * as {@code seed=1}, replaces that axis).
 */
public final class SweepLoader {
    /** The short form of {@code experiment.seed} on the command line and in arm names. */
    public static final String SEED = "seed";
    private static final String SEED_KEY = "experiment.seed";

    private final ExperimentLoader loader;

    public SweepLoader(ComponentRegistry registry) {
        this.loader = new ExperimentLoader(Objects.requireNonNull(registry, "registry"));
    }

    /**
     * A defined sweep with each arm's validated experiment.
     *
     * @param resolvedBase the base experiment with the common overrides, resolved as YAML; empty
     *     when only the arms' overrides make it valid
     */
    public record Defined(Sweep sweep, List<Experiment> experiments, Optional<String> resolvedBase) {
    }

    /**
     * Checks the launcher settings as the chosen launcher reads them: the SLURM ones are values
     * SLURM takes ({@link SlurmSettings#of}); a key the launcher does not use is a warning (a study
     * switches launchers by name, keeping the other's keys), {@code --parallel} with SLURM an error.
     *
     * @throws ConfigException naming {@code file} and the {@code launcher.} key
     */
    public static void checkLauncher(LauncherConfig launcher, Path file, boolean parallelOption,
                                     Consumer<ConfigError> warnings) throws ConfigException {
        ConfigLocation where = ConfigLocation.InFile.wholeFile(file);
        if (launcher.name().equals(LauncherConfig.SLURM)) {
            if (parallelOption) {
                throw new ConfigException(List.of(new ConfigError(where, "launcher.parallel", "--parallel is for the "
                        + "local launcher; with slurm, limit the arms running at once with launcher.max_parallel")));
            }
            try {
                SlurmSettings.of(launcher);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(List.of(ConfigError.ofKeyedMessage(where, e.getMessage(), "launcher")));
            }
        }
        List<String> ignored = launcher.ignoredKeys();
        if (!ignored.isEmpty()) {
            warnings.accept(new ConfigError(where, String.join(", ", ignored), "not used by the " + launcher.name()
                    + " launcher: ignored"));
        }
    }

    /**
     * Defines the sweep of {@code file} (a study file, or an experiment file) with the command-line
     * {@code arguments}, and validates every arm.
     *
     * @param launcher the command line's launcher settings, replacing the study's where given
     * @throws ConfigException listing every problem: of the study file, of an override (at the
     *     study's line or the argument), of an arm's experiment (with the arms it concerns)
     */
    public Defined define(Path file, List<String> arguments, Path workingDirectory,
                          Optional<String> launcher, Optional<Integer> parallel, Consumer<ConfigError> warnings)
            throws ConfigException {
        Optional<StudyFile> study = StudyReader.readIfStudy(file);
        List<ConfigError> errors = new ArrayList<>();
        List<Origin> fixed = new ArrayList<>();
        List<Axis> axes = new ArrayList<>();
        for (int i = 0; i < arguments.size(); i++) {
            parseArgument(arguments.get(i), new ConfigLocation.InOverride(arguments.get(i), i + 1), fixed, axes,
                    errors);
        }
        List<Origin> common = new ArrayList<>();
        List<Named> named = new ArrayList<>();
        List<Axis> grid = new ArrayList<>();
        String name;
        Path experiment;
        LauncherConfig launcherConfig;
        Map<String, Object> report;
        if (study.isPresent()) {
            StudyFile s = study.get();
            s.overrides().forEach(o -> common.add(new Origin(o.key(), o.value(), o.location())));
            s.arms().forEach((armName, settings) -> named.add(new Named(armName, settings.stream()
                    .map(o -> new Origin(o.key(), o.value(), o.location())).toList())));
            s.grid().forEach(a -> grid.add(new Axis(a.key(), a.values(), a.location())));
            if (!s.seeds().isEmpty()) {
                grid.add(new Axis(SEED_KEY, s.seeds(), s.seedsLocation()));
            }
            name = s.name();
            experiment = s.experiment();
            launcherConfig = s.launcher();
            report = s.report();
        } else {
            name = null;
            experiment = file.toAbsolutePath().normalize();
            launcherConfig = LauncherConfig.local();
            report = Map.of();
        }
        // the command line's axes come after the study's, its seeds last
        axes.stream().filter(a -> !a.key().equals(SEED_KEY)).forEach(grid::add);
        axes.stream().filter(a -> a.key().equals(SEED_KEY)).forEach(a -> {
            grid.removeIf(g -> g.key().equals(SEED_KEY));
            grid.add(a);
        });
        // a single value on the command line replaces the study's axis of that key, as in Hydra
        fixed.forEach(o -> grid.removeIf(axis -> axis.key().equals(o.key())));
        if (named.isEmpty()) {
            named.add(new Named("", List.of()));
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        try {
            if (launcher.isPresent()) {
                launcherConfig = launcherConfig.withName(launcher.get());
            }
            if (parallel.isPresent()) {
                launcherConfig = launcherConfig.withParallel(parallel.get());
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException(List.of(new ConfigError(ConfigLocation.InFile.wholeFile(file), "launcher",
                    e.getMessage())));
        }
        checkLauncher(launcherConfig, file, parallel.isPresent(), warnings);
        List<Planned> planned = expand(named, grid, common, fixed);
        Optional<String> resolvedBase;
        List<Origin> allCommon = new ArrayList<>(common);
        allCommon.addAll(fixed);
        try {
            resolvedBase = Optional.of(loader.load(experiment, allCommon.stream().map(Origin::argument).toList(),
                    warning -> { }).toYaml());
        } catch (ConfigException e) {
            resolvedBase = Optional.empty();
        }
        List<Experiment> experiments = validate(experiment, planned, warnings);
        if (name == null) {
            name = experiments.get(0).experiment().name();
        }
        List<Arm> arms = planned.stream().map(Planned::arm).toList();
        Sweep sweep = new Sweep(name, file.toAbsolutePath().normalize(), experiment,
                workingDirectory.toAbsolutePath().normalize(), allCommon.stream().map(Origin::argument).toList(), arms,
                launcherConfig, report);
        return new Defined(sweep, experiments, resolvedBase);
    }

    /** The experiment of one arm of a recorded sweep: its base experiment file with the arm's overrides. */
    public Experiment armExperiment(Sweep sweep, Arm arm, Consumer<ConfigError> warnings) throws ConfigException {
        return loader.load(sweep.experiment(), arm.overrideArguments(), warnings);
    }

    private static void parseArgument(String argument, ConfigLocation.InOverride location, List<Origin> fixed,
                                      List<Axis> axes, List<ConfigError> errors) {
        if (argument.startsWith("~")) {
            errors.add(new ConfigError(location, argument.substring(1), "a sweep cannot remove keys: set the value "
                    + "instead (such as initialization=none)"));
            return;
        }
        int equals = argument.indexOf('=');
        if (equals <= 0) {
            errors.add(new ConfigError(location, "", "expected key=value, or key=a,b,c for an axis of the sweep"));
            return;
        }
        String key = argument.substring(0, equals);
        if (key.equals(SEED)) {
            key = SEED_KEY;
        }
        List<String> values;
        try {
            values = SweepValues.of(argument.substring(equals + 1));
        } catch (IllegalArgumentException e) {
            errors.add(new ConfigError(location, key, e.getMessage()));
            return;
        }
        if (values.size() == 1) {
            fixed.add(new Origin(key, values.get(0), location));
        } else {
            String axisKey = key;
            if (axes.stream().anyMatch(a -> a.key().equals(axisKey))) {
                errors.add(new ConfigError(location, key, "the key is swept twice: give its values in one override"));
                return;
            }
            axes.add(new Axis(key, values, location));
        }
    }

    private static List<Planned> expand(List<Named> named, List<Axis> grid, List<Origin> common,
                                        List<Origin> fixed) {
        List<List<Origin>> combinations = new ArrayList<>();
        combinations.add(List.of());
        for (Axis axis : grid) {
            List<List<Origin>> next = new ArrayList<>();
            for (List<Origin> combination : combinations) {
                for (String value : axis.values()) {
                    List<Origin> extended = new ArrayList<>(combination);
                    extended.add(new Origin(axis.key(), value, axis.location()));
                    next.add(extended);
                }
            }
            combinations = next;
        }
        List<Planned> planned = new ArrayList<>();
        for (Named arm : named) {
            for (List<Origin> combination : combinations) {
                List<String> nameParts = new ArrayList<>();
                if (!arm.name().isEmpty()) {
                    nameParts.add(arm.name());
                }
                combination.forEach(o -> nameParts.add((o.key().equals(SEED_KEY) ? SEED : o.key()) + "=" + o.value()));
                List<Origin> applied = new ArrayList<>(common);
                applied.addAll(arm.overrides());
                applied.addAll(combination);
                applied.addAll(fixed);
                // a key set twice keeps its last value, at the position where it was last set
                Map<String, Origin> byKey = new LinkedHashMap<>();
                for (Origin o : applied) {
                    byKey.remove(o.key());
                    byKey.put(o.key(), o);
                }
                Map<String, String> overrides = new LinkedHashMap<>();
                byKey.values().forEach(o -> overrides.put(o.key(), o.value()));
                String armName = nameParts.isEmpty() ? "base" : String.join(",", nameParts);
                planned.add(new Planned(new Arm(planned.size(), armName, overrides),
                        new ArrayList<>(byKey.values())));
            }
        }
        return planned;
    }

    /**
     * Loads every arm's experiment; problems are reported where their override was written (the
     * study file's line or the command-line argument), once, with the arms they concern.
     */
    private List<Experiment> validate(Path experiment, List<Planned> planned, Consumer<ConfigError> warnings)
            throws ConfigException {
        Map<String, ConfigError> firstOfProblem = new LinkedHashMap<>();
        Map<String, List<String>> armsOfProblem = new LinkedHashMap<>();
        Set<String> warned = new LinkedHashSet<>();
        List<Experiment> experiments = new ArrayList<>();
        for (Planned arm : planned) {
            List<ConfigError> armWarnings = new ArrayList<>();
            try {
                experiments.add(loader.load(experiment, arm.arm().overrideArguments(), armWarnings::add));
            } catch (ConfigException e) {
                for (ConfigError error : e.errors()) {
                    ConfigError located = relocate(error, arm);
                    String key = located.toString();
                    firstOfProblem.putIfAbsent(key, located);
                    armsOfProblem.computeIfAbsent(key, k -> new ArrayList<>())
                            .add(arm.arm().index() + " '" + arm.arm().name() + "'");
                }
            }
            armWarnings.stream().map(w -> relocate(w, arm)).filter(w -> warned.add(w.toString())).forEach(warnings);
        }
        if (firstOfProblem.isEmpty()) {
            return experiments;
        }
        List<ConfigError> errors = new ArrayList<>();
        firstOfProblem.forEach((key, error) -> {
            List<String> arms = armsOfProblem.get(key);
            String which = arms.size() == planned.size() && planned.size() > 1 ? "every arm"
                    : (arms.size() == 1 ? "arm " : "arms ") + String.join(", ", arms);
            errors.add(new ConfigError(error.location(), error.keyPath(), error.message()
                    + (planned.size() > 1 ? " (in " + which + ")" : "")));
        });
        throw new ConfigException(errors);
    }

    /** A problem at the n-th override of an arm, moved to where that override was written. */
    private static ConfigError relocate(ConfigError error, Planned arm) {
        if (error.location() instanceof ConfigLocation.InOverride at && at.position() >= 1
                && at.position() <= arm.origins().size()) {
            return new ConfigError(arm.origins().get(at.position() - 1).location(), error.keyPath(), error.message());
        }
        return error;
    }

    private record Origin(String key, String value, ConfigLocation location) {
        String argument() {
            return key + "=" + value;
        }
    }

    private record Axis(String key, List<String> values, ConfigLocation location) {
    }

    private record Named(String name, List<Origin> overrides) {
    }

    private record Planned(Arm arm, List<Origin> origins) {
    }
}
