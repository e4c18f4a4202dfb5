package io.spikeforge.runner.sweep;

import io.spikeforge.common.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What each arm's job asks a SLURM cluster for, from the study file's {@code launcher:} section;
 * the {@code #SBATCH} lines of the sweep's job script. An absent value leaves the cluster's default.
 *
 * @param partition the partition ({@code --partition}), or null for the cluster's default
 * @param time the time limit of one arm ({@code --time}) in a SLURM format: {@code minutes},
 *     {@code hours:minutes:seconds}, {@code days-hours:minutes:seconds}, ...; or null for the
 *     partition's default
 * @param cpusPerTask CPUs for one arm ({@code --cpus-per-task}), at least 1; also the arm's
 *     {@code OMP_NUM_THREADS}
 * @param memory memory for one arm ({@code --mem}), such as {@code 8G} or {@code 4000} (MB), or null
 *     for the cluster's default
 * @param gpus GPUs for one arm ({@code --gres=gpu:N}), 0 for none
 * @param maxParallel at most this many arms at once ({@code --array=...%N}), 0 for no limit
 * @param extraArguments further {@code sbatch} options, one per element, such as
 *     {@code --account=proj42} or {@code --qos=short}
 */
public record SlurmSettings(String partition, String time, int cpusPerTask, String memory, int gpus, int maxParallel,
                            List<String> extraArguments) {
    /** The file in the sweep's {@code slurm/} folder that keeps the settings of its submissions. */
    static final String FILE = "settings.tsv";

    private static final Pattern TIME = Pattern.compile("\\d+(:\\d+){0,2}|\\d+-\\d+(:\\d+){0,2}");
    private static final Pattern MEMORY = Pattern.compile("\\d+[KMGT]?");
    private static final Pattern PARTITION = Pattern.compile("[A-Za-z0-9_.,-]+");

    public SlurmSettings {
        if (partition != null && !PARTITION.matcher(partition).matches()) {
            throw new IllegalArgumentException("launcher.partition: expected a SLURM partition name (letters, digits, "
                    + "'_', '-', '.', a comma between several), got '" + partition + "'");
        }
        if (time != null && !TIME.matcher(time).matches()) {
            throw new IllegalArgumentException("launcher.time: expected a SLURM time limit such as 90 (minutes), "
                    + "02:00:00 or 1-12:00:00, got '" + time + "'");
        }
        if (cpusPerTask < 1) {
            throw new IllegalArgumentException("launcher.cpus: expected at least 1 CPU per arm, got " + cpusPerTask);
        }
        if (memory != null && !MEMORY.matcher(memory).matches()) {
            throw new IllegalArgumentException("launcher.memory: expected a SLURM memory size such as 8G or 4000 "
                    + "(megabytes), got '" + memory + "'");
        }
        if (gpus < 0) {
            throw new IllegalArgumentException("launcher.gpus: expected 0 or more GPUs per arm, got " + gpus);
        }
        if (maxParallel < 0) {
            throw new IllegalArgumentException("launcher.max_parallel: expected 0 (no limit) or more arms at once, got "
                    + maxParallel);
        }
        extraArguments = List.copyOf(extraArguments);
        for (String argument : extraArguments) {
            if (!argument.startsWith("-") || argument.contains("\n")) {
                throw new IllegalArgumentException("launcher: expected sbatch options such as --account=proj42, got '"
                        + argument + "'");
            }
            if (argument.startsWith("--array") || argument.startsWith("--output") || argument.startsWith("--error")) {
                throw new IllegalArgumentException("launcher: " + argument + " is set by Spikeforge (one array task "
                        + "per arm, output files in the sweep's slurm/ folder)");
            }
        }
    }

    /**
     * The settings a study's {@code launcher:} section gives: absent keys leave the cluster's
     * default, one CPU per arm, no limit on arms at once.
     *
     * @throws IllegalArgumentException if a value is not one SLURM takes (the message starts with
     *     the {@code launcher.} key)
     */
    public static SlurmSettings of(io.spikeforge.runner.config.LauncherConfig launcher) {
        return new SlurmSettings(launcher.partition().orElse(null), launcher.time().orElse(null),
                launcher.cpus().orElse(1), launcher.memory().orElse(null), launcher.gpus(),
                launcher.maxParallel().orElse(0), List.of());
    }

    /** The cluster's defaults, with one CPU per arm and no limit on arms at once. */
    public static SlurmSettings defaults() {
        return new SlurmSettings(null, null, 1, null, 0, 0, List.of());
    }

    /** The {@code sbatch} options of these settings, one per element, without the job's name, files and array. */
    List<String> sbatchOptions() {
        List<String> options = new ArrayList<>();
        if (partition != null) {
            options.add("--partition=" + partition);
        }
        if (time != null) {
            options.add("--time=" + time);
        }
        options.add("--cpus-per-task=" + cpusPerTask);
        if (memory != null) {
            options.add("--mem=" + memory);
        }
        if (gpus > 0) {
            options.add("--gres=gpu:" + gpus);
        }
        options.addAll(extraArguments);
        return options;
    }

    /** Writes the settings to {@code file}, atomically: one {@code key<TAB>value} line each. */
    void write(Path file) throws IOException {
        StringBuilder text = new StringBuilder();
        Map<String, String> values = new LinkedHashMap<>();
        values.put("partition", partition);
        values.put("time", time);
        values.put("cpus", Integer.toString(cpusPerTask));
        values.put("memory", memory);
        values.put("gpus", Integer.toString(gpus));
        values.put("max_parallel", Integer.toString(maxParallel));
        values.forEach((key, value) -> {
            if (value != null) {
                text.append(key).append('\t').append(value).append('\n');
            }
        });
        extraArguments.forEach(argument -> text.append("sbatch\t").append(argument).append('\n'));
        AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads settings that {@link #write} wrote.
     *
     * @throws IOException if the file cannot be read or a line is not a setting (the message names
     *     the file, the line and what was expected)
     */
    static SlurmSettings read(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> extra = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int tab = line.indexOf('\t');
            String key = tab < 0 ? line : line.substring(0, tab);
            if (tab < 0 || !List.of("partition", "time", "cpus", "memory", "gpus", "max_parallel", "sbatch")
                    .contains(key)) {
                throw new IOException(file + ":" + (i + 1) + ": expected 'key<TAB>value' with a key of partition, time, "
                        + "cpus, memory, gpus, max_parallel or sbatch, got '" + line + "'");
            }
            if (key.equals("sbatch")) {
                extra.add(line.substring(tab + 1));
            } else {
                values.put(key, line.substring(tab + 1));
            }
        }
        try {
            return new SlurmSettings(values.get("partition"), values.get("time"), number(values, "cpus", 1),
                    values.get("memory"), number(values, "gpus", 0), number(values, "max_parallel", 0), extra);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static int number(Map<String, String> values, String key, int absent) {
        String value = values.get(key);
        if (value == null) {
            return absent;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": expected a whole number, got '" + value + "'", e);
        }
    }
}
