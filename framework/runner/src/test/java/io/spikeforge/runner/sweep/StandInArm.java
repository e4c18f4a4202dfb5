package io.spikeforge.runner.sweep;

import io.spikeforge.runner.sweep.SweepFolder.IndexRow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for {@code spikeforge sweep arm DIR INDEX} for launcher tests: a shell script that
 * behaves like it towards the arm's run folder (status {@code running}, then {@code finished}; an
 * unfinished folder is resumed and noted in {@code resumed}, a finished one left alone) in a second
 * or two. What arm INDEX does comes from {@code DIR/behaviour/INDEX}: {@code fail} (status failed
 * with a message, exit 1), {@code die} (exit 3 leaving status running, a line on stderr) or
 * {@code hang} (sleeps 300 s, to be cancelled); without the file it finishes. It also writes its
 * {@code OMP_NUM_THREADS} to {@code omp-threads}.
 */
public final class StandInArm {
    private static final String SCRIPT = """
            #!/bin/bash
            set -u
            [ "$1 $2" = "sweep arm" ] || { echo "usage: sweep arm DIR INDEX" >&2; exit 2; }
            dir=$3; index=$4
            folder=$dir/$(awk -F'\\t' -v i="$index" '$1 == i { print $4 }' "$dir/index.tsv")
            mkdir -p "$folder"
            if [ -f "$folder/status" ]; then
              [ "$(head -n 1 "$folder/status")" = finished ] && exit 0
              echo "from $(head -n 1 "$folder/status")" >> "$folder/resumed"
            fi
            echo "${OMP_NUM_THREADS:-unset}" > "$folder/omp-threads"
            echo running > "$folder/status"
            behaviour=$(cat "$dir/behaviour/$index" 2>/dev/null || echo finish)
            case $behaviour in
              fail) sleep 1; printf 'failed\\nstand-in: arm %s failed on purpose\\n' "$index" > "$folder/status"; exit 1 ;;
              die) sleep 1; echo "stand-in: arm $index died" >&2; exit 3 ;;
              hang) sleep 300 ;;
            esac
            sleep 1
            echo finished > "$folder/status"
            """;

    private StandInArm() {
    }

    /** The stand-in as {@code home/bin/spikeforge} (written once), as the command of each arm. */
    public static ArmCommand command(Path home) throws IOException {
        Path executable = home.resolve("bin/spikeforge");
        if (!Files.exists(executable)) {
            Files.createDirectories(executable.getParent());
            Files.writeString(executable, SCRIPT, StandardCharsets.UTF_8);
            if (!executable.toFile().setExecutable(true)) {
                throw new IOException("cannot make " + executable + " executable");
            }
        }
        return new ArmCommand(executable);
    }

    /**
     * A sweep folder at {@code root} with arms {@code arm-0}, {@code arm-1}, ... (pending, each with
     * the override {@code seed=i}) and the stand-in's behaviour of some of them.
     */
    public static SweepFolder sweep(Path root, Map<Integer, String> behaviours, int armCount) throws IOException {
        SweepFolder sweep = SweepFolder.at(root);
        List<IndexRow> rows = new ArrayList<>();
        for (int i = 0; i < armCount; i++) {
            rows.add(new IndexRow(new Arm(i, "arm-" + i, Map.of("seed", Integer.toString(i))), ArmState.PENDING));
        }
        sweep.writeIndex(rows);
        Files.writeString(sweep.sweepFile(), "# a stand-in sweep\n");
        Files.createDirectories(sweep.root().resolve("behaviour"));
        for (Map.Entry<Integer, String> behaviour : behaviours.entrySet()) {
            Files.writeString(sweep.root().resolve("behaviour/" + behaviour.getKey()), behaviour.getValue());
        }
        return sweep;
    }
}
