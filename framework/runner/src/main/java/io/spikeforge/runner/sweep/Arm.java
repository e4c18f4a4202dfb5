package io.spikeforge.runner.sweep;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One arm of a sweep: the base experiment with these overrides, run as an ordinary run in its own
 * folder of the sweep folder.
 *
 * @param index the arm's position in the sweep, from 0 (a SLURM array task's index)
 * @param name a readable name, unique in the sweep: a study's arm name and the grid values, such as
 *     {@code idsnn,seed=2}
 * @param overrides the overrides in the order they apply, {@code key -> value} as typed after
 *     {@code key=} on the command line (the study's arm overrides, then its grid axes, then the seed)
 */
public record Arm(int index, String name, Map<String, String> overrides) {
    private static final int MAX_FOLDER_NAME = 80;

    public Arm {
        if (index < 0) {
            throw new IllegalArgumentException("an arm's index starts at 0, got " + index);
        }
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("an arm needs a name");
        }
        overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
    }

    /** The overrides as command-line arguments, {@code key=value}, in order. */
    public List<String> overrideArguments() {
        List<String> arguments = new ArrayList<>();
        overrides.forEach((key, value) -> arguments.add(key + "=" + value));
        return arguments;
    }

    /**
     * The name of the arm's run folder in the sweep's {@code arms/} folder: the index, zero-padded
     * so folders sort in arm order, and the name with characters that are awkward in paths
     * replaced, such as {@code 003-idsnn_seed=2}.
     */
    public String folderName() {
        String safe = name.replaceAll("[^A-Za-z0-9._=+-]", "_");
        if (safe.length() > MAX_FOLDER_NAME) {
            safe = safe.substring(0, MAX_FOLDER_NAME);
        }
        return String.format(Locale.ROOT, "%03d-%s", index, safe);
    }
}
