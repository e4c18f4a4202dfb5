package io.spikeforge.runner.sweep;

import io.spikeforge.runner.pipeline.RunFolder;
import io.spikeforge.tracking.RunStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Where arms stand according to their run folders, and the index that records it. */
public final class ArmStates {
    private ArmStates() {
    }

    /**
     * The state an arm's run folder shows: its {@code status} file's word (the truth of where a run
     * stands), {@link ArmState#PENDING} without one. A {@code running} folder
     * whose process is gone reads as running: only the launcher knows better.
     */
    public static ArmState ofRunFolder(Path runFolder) throws IOException {
        Path status = runFolder.resolve(RunFolder.STATUS);
        if (!Files.isRegularFile(status)) {
            return ArmState.PENDING;
        }
        List<String> lines = Files.readAllLines(status, StandardCharsets.UTF_8);
        String word = lines.isEmpty() ? "" : lines.get(0).strip();
        if (word.equals(RunStatus.FINISHED.word())) {
            return ArmState.FINISHED;
        }
        if (word.equals(RunStatus.FAILED.word())) {
            return ArmState.FAILED;
        }
        if (word.equals(RunStatus.INTERRUPTED.word())) {
            return ArmState.INTERRUPTED;
        }
        return ArmState.RUNNING;
    }

    /**
     * The error a failed run's {@code status} file gives after its word (its last non-blank line),
     * if any.
     */
    public static Optional<String> errorOfRunFolder(Path runFolder) throws IOException {
        Path file = runFolder.resolve(RunFolder.STATUS);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().skip(1).map(String::strip)
                .filter(line -> !line.isEmpty()).reduce((first, second) -> second);
    }

    /**
     * Where an arm stands according to its run folder alone, as a launcher without a queue reports
     * it: the run folder's state, and the error line of a failed run.
     */
    public static ArmReport reportOfRunFolder(SweepFolder folder, Arm arm) throws IOException {
        Path runFolder = folder.armFolder(arm);
        ArmState state = ofRunFolder(runFolder);
        return new ArmReport(arm, state, Optional.empty(), runFolder,
                state == ArmState.FAILED ? errorOfRunFolder(runFolder) : Optional.empty());
    }

    /**
     * Each arm's state: the launcher's word where it has one (a job in the queue, a cancelled job),
     * else its run folder's.
     */
    public static List<SweepFolder.IndexRow> read(SweepFolder folder, Sweep sweep, Optional<Launcher> launcher)
            throws IOException {
        List<SweepFolder.IndexRow> rows = new ArrayList<>();
        for (Arm arm : sweep.arms()) {
            Optional<ArmState> known = launcher.isPresent() ? launcher.get().state(folder, arm) : Optional.empty();
            rows.add(new SweepFolder.IndexRow(arm, known.orElse(ofRunFolder(folder.armFolder(arm)))));
        }
        return rows;
    }

    /** Rewrites the index with each arm's state now ({@link #read}). */
    public static List<SweepFolder.IndexRow> refresh(SweepFolder folder, Sweep sweep, Optional<Launcher> launcher)
            throws IOException {
        List<SweepFolder.IndexRow> rows = read(folder, sweep, launcher);
        folder.writeIndex(rows);
        return rows;
    }
}
