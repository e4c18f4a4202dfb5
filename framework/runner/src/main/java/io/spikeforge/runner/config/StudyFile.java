package io.spikeforge.runner.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A study file ({@code kind: study}): a base experiment and the arms to run of it, each a set of
 * overrides, crossed with grid axes and seeds; where they run ({@code launcher:}) and what the
 * report compares ({@code report:}). Read by {@link StudyReader}; expanded into arms by the sweep.
 *
 * @param file the study file as given
 * @param name the study's name (its {@code name:}, else the file name without {@code .yaml}): the
 *     sweep folder's name starts with it
 * @param description what the study is for, if written
 * @param experiment the base experiment file, resolved against the study file's folder
 * @param overrides overrides applied to every arm, in order
 * @param arms the named arms, each with its overrides in order; empty when the study has none (one
 *     unnamed arm)
 * @param grid axes crossed with the arms, in order: key and its values
 * @param seeds the values of {@code experiment.seed} crossed with the rest; empty when not swept
 * @param seedsLocation where {@code seeds:} was written
 * @param launcher the {@code launcher:} section
 * @param report the {@code report:} section as plain values (read by {@code spikeforge report})
 */
public record StudyFile(Path file, String name, Optional<String> description, Path experiment,
                        List<Setting> overrides, Map<String, List<Setting>> arms, List<Axis> grid,
                        List<String> seeds, ConfigLocation seedsLocation, LauncherConfig launcher,
                        Map<String, Object> report) {
    /** The top-level key and value that make a YAML file a study file. */
    public static final String KIND = "study";

    public StudyFile {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(experiment, "experiment");
        overrides = List.copyOf(overrides);
        Map<String, List<Setting>> copy = new LinkedHashMap<>();
        arms.forEach((arm, settings) -> copy.put(arm, List.copyOf(settings)));
        arms = java.util.Collections.unmodifiableMap(copy);
        grid = List.copyOf(grid);
        seeds = List.copyOf(seeds);
        Objects.requireNonNull(seedsLocation, "seedsLocation");
        Objects.requireNonNull(launcher, "launcher");
        report = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(report));
    }

    /**
     * One override of a study: {@code key=value} as it would be typed on the command line.
     *
     * @param location where it was written in the study file (problems with it are reported there)
     */
    public record Setting(String key, String value, ConfigLocation location) {
        public Setting {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(location, "location");
        }
    }

    /**
     * One grid axis: a key and the values it takes.
     *
     * @param location where it was written
     */
    public record Axis(String key, List<String> values, ConfigLocation location) {
        public Axis {
            Objects.requireNonNull(key, "key");
            values = List.copyOf(new ArrayList<>(values));
            Objects.requireNonNull(location, "location");
        }
    }
}
