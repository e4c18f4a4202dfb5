package io.spikeforge.runner.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how a sweep's arms run: a study file's {@code launcher:} section, or the sweep
 * command's {@code --launcher} and {@code --parallel}. One record for every launcher, so a study
 * switches from a laptop to a cluster by its {@code name} alone (or {@code --launcher}); each
 * launcher reads the keys it knows and the sweep warns of the others ({@link #ignoredKeys()}).
 *
 * @param name the launcher: {@code local} or {@code slurm}
 * @param parallel {@code local}: how many arms run at once (the machine's cores are divided between them)
 * @param partition {@code slurm}: the partition ({@code sbatch --partition}); the cluster's default when empty
 * @param time {@code slurm}: each arm's time limit as SLURM writes it, such as {@code 04:00:00} or {@code 1-00:00:00}
 * @param cpus {@code slurm}: CPUs per arm ({@code --cpus-per-task})
 * @param memory {@code slurm}: memory per arm as SLURM writes it, such as {@code 16G} ({@code --mem})
 * @param gpus {@code slurm}: GPUs per arm ({@code --gres=gpu:N}); 0 asks for none
 * @param maxParallel {@code slurm}: at most this many arms at once (the {@code %M} of {@code --array=0-K%M})
 */
public record LauncherConfig(String name, int parallel, Optional<String> partition, Optional<String> time,
                             Optional<Integer> cpus, Optional<String> memory, int gpus,
                             Optional<Integer> maxParallel) {
    /** The launcher that runs arms on this machine. */
    public static final String LOCAL = "local";
    /** The launcher that submits arms to a SLURM cluster as a job array. */
    public static final String SLURM = "slurm";
    /** The launchers a study may name. */
    public static final List<String> NAMES = List.of(LOCAL, SLURM);

    public LauncherConfig {
        Objects.requireNonNull(name, "name");
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown launcher '" + name + "': expected one of " + NAMES);
        }
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel must be at least 1, got " + parallel);
        }
        if (gpus < 0) {
            throw new IllegalArgumentException("gpus must be at least 0, got " + gpus);
        }
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(cpus, "cpus");
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(maxParallel, "maxParallel");
    }

    /** The local launcher running one arm at a time, with no cluster settings. */
    public static LauncherConfig local() {
        return new LauncherConfig(LOCAL, 1, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0,
                Optional.empty());
    }

    /**
     * The keys set here that the named launcher does not use, as {@code launcher.<key>}: the SLURM
     * keys for {@code local}, {@code parallel} (other than 1) for {@code slurm}.
     */
    public List<String> ignoredKeys() {
        List<String> ignored = new java.util.ArrayList<>();
        if (name.equals(LOCAL)) {
            partition.ifPresent(p -> ignored.add("launcher.partition"));
            time.ifPresent(t -> ignored.add("launcher.time"));
            cpus.ifPresent(c -> ignored.add("launcher.cpus"));
            memory.ifPresent(m -> ignored.add("launcher.memory"));
            if (gpus > 0) {
                ignored.add("launcher.gpus");
            }
            maxParallel.ifPresent(m -> ignored.add("launcher.max_parallel"));
        } else if (parallel != 1) {
            ignored.add("launcher.parallel");
        }
        return ignored;
    }

    /** A copy naming another launcher. */
    public LauncherConfig withName(String newName) {
        return new LauncherConfig(newName, parallel, partition, time, cpus, memory, gpus, maxParallel);
    }

    /** A copy running {@code newParallel} arms at once on this machine. */
    public LauncherConfig withParallel(int newParallel) {
        return new LauncherConfig(name, newParallel, partition, time, cpus, memory, gpus, maxParallel);
    }
}
