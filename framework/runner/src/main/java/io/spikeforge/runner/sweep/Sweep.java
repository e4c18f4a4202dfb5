package io.spikeforge.runner.sweep;

import io.spikeforge.runner.config.LauncherConfig;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A resolved sweep, as its {@code sweep.yaml} records it ({@link SweepFile}): the base experiment,
 * the arms with every override each applies to it, where they run and what the report compares.
 *
 * @param name the study's name, or the base experiment's {@code experiment.name}
 * @param source the file the sweep was started from (a study file or the experiment file), absolute
 * @param experiment the base experiment file, absolute: each arm is it with the arm's overrides
 * @param workingDirectory where relative paths of the experiment ({@code dataset.path},
 *     {@code teacher.weights}) resolve: the sweep's working directory, in which every arm runs
 * @param overrides the overrides every arm applies (the study's and the command line's single-valued
 *     ones), as {@code key=value}; each arm's {@link Arm#overrides()} holds them too
 * @param arms the arms in index order
 * @param launcher where and how the arms run
 * @param report the study's {@code report:} settings, as plain values
 */
public record Sweep(String name, Path source, Path experiment, Path workingDirectory, List<String> overrides,
                    List<Arm> arms, LauncherConfig launcher, Map<String, Object> report) {
    public Sweep {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(experiment, "experiment");
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        overrides = List.copyOf(overrides);
        arms = List.copyOf(arms);
        for (int i = 0; i < arms.size(); i++) {
            if (arms.get(i).index() != i) {
                throw new IllegalArgumentException("arm " + i + " has the index " + arms.get(i).index());
            }
        }
        if (arms.isEmpty()) {
            throw new IllegalArgumentException("a sweep has at least one arm");
        }
        Objects.requireNonNull(launcher, "launcher");
        report = Collections.unmodifiableMap(new LinkedHashMap<>(report));
    }

    /** The arm at {@code index}. */
    public Arm arm(int index) {
        if (index < 0 || index >= arms.size()) {
            throw new IndexOutOfBoundsException("the sweep has arms 0 to " + (arms.size() - 1) + ", not " + index);
        }
        return arms.get(index);
    }

    /** A copy running with another launcher configuration. */
    public Sweep withLauncher(LauncherConfig newLauncher) {
        return new Sweep(name, source, experiment, workingDirectory, overrides, arms, newLauncher, report);
    }
}
