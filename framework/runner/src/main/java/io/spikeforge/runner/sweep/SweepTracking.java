package io.spikeforge.runner.sweep;

import io.spikeforge.tracking.RunIdsFile;
import io.spikeforge.tracking.RunStatus;
import io.spikeforge.tracking.RunTags;
import io.spikeforge.tracking.RunTrackers;
import io.spikeforge.tracking.RunTracker;
import io.spikeforge.tracking.TrackedRun;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A sweep in MLflow: the sweep is a parent run in its base experiment's MLflow experiment, each arm
 * a child run ({@code mlflow.parentRunId}) with its overrides as params ({@code override.<key>}) and
 * tags ({@code sweep.arm}, {@code sweep.arm_name}, {@code override.<key>}). The parent's id is kept
 * in the sweep folder's {@code mlflow_run_ids} (as a run folder keeps its run's), where arms running
 * in other processes, on other machines, find it.
 *
 * <p>The parent's status: a local sweep ends it when its last arm ended. A SLURM sweep's
 * {@code spikeforge sweep} returns after submission and leaves it RUNNING;
 * {@code spikeforge sweep status} ends it once every arm ended ({@link #settleParent}).
 */
public final class SweepTracking {
    /** The parent run's tag naming the sweep folder. */
    public static final String SWEEP_FOLDER_TAG = "spikeforge.sweep_folder";
    /** A child run's tag: the arm's index. */
    public static final String ARM_TAG = "sweep.arm";
    /** A child run's tag: the arm's name. */
    public static final String ARM_NAME_TAG = "sweep.arm_name";
    /** The prefix of a child's params and tags holding its overrides. */
    public static final String OVERRIDE_PREFIX = "override.";

    private SweepTracking() {
    }

    /**
     * Starts the sweep's parent run, named after the sweep folder, with the sweep's settings as
     * params; a resumed sweep's new parent refers to the one before ({@code spikeforge.resumed_from}).
     */
    public static TrackedRun startParent(RunTracker tracker, String mlflowExperiment, SweepFolder folder,
                                         Sweep sweep) throws IOException {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(RunTags.RUN_FOLDER, folder.root().toAbsolutePath().toString());
        tags.put(SWEEP_FOLDER_TAG, folder.root().toAbsolutePath().toString());
        Optional<RunIdsFile.Entry> before = last(folder);
        before.flatMap(tracker::referenceTo).ifPresent(id -> tags.put(RunTags.RESUMED_FROM, id));
        TrackedRun parent = tracker.startRun(mlflowExperiment, folder.root().getFileName().toString(),
                Optional.empty(), tags);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("sweep.name", sweep.name());
        params.put("sweep.source", sweep.source().toString());
        params.put("sweep.experiment", sweep.experiment().toString());
        params.put("sweep.arms", Integer.toString(sweep.arms().size()));
        params.put("sweep.launcher", sweep.launcher().name());
        params.put("sweep.parallel", Integer.toString(sweep.launcher().parallel()));
        params.put("sweep.overrides", String.join(" ", sweep.overrides()));
        parent.logParams(params);
        return parent;
    }

    /** The id of the sweep's current parent run in its store, if the sweep is tracked. */
    public static Optional<String> parentRunId(SweepFolder folder) throws IOException {
        return parentRun(folder).map(RunIdsFile.Entry::runId);
    }

    /**
     * The sweep's current parent run, as the sweep folder's {@value RunIdsFile#FILE_NAME} lists it
     * (the last one listed: a resumed local sweep lists one per run of {@code spikeforge sweep}).
     */
    public static Optional<RunIdsFile.Entry> parentRun(SweepFolder folder) throws IOException {
        return last(folder);
    }

    /**
     * The parent run of a sweep whose arms run on a cluster, after {@code spikeforge sweep status}
     * saw where they stand: once no arm is pending, queued or running, the parent ends
     * {@code FINISHED} if every arm finished, else {@code FAILED}; while one is, an ended parent
     * (a resubmission after it ended) runs again. Returns the parent's status now; empty when the
     * sweep is not tracked.
     *
     * @throws IOException if the parent run cannot be found or written in its store
     */
    public static Optional<RunStatus> settleParent(SweepFolder folder, List<ArmState> arms) throws IOException {
        Optional<RunIdsFile.Entry> parent = parentRun(folder);
        if (parent.isEmpty()) {
            return Optional.empty();
        }
        RunStatus status = arms.stream().anyMatch(state -> state == ArmState.PENDING || state == ArmState.QUEUED
                || state == ArmState.RUNNING) ? RunStatus.RUNNING
                : arms.stream().allMatch(state -> state == ArmState.FINISHED) ? RunStatus.FINISHED : RunStatus.FAILED;
        RunTrackers.setRecordedRunStatus(parent.get(), status);
        return Optional.of(status);
    }

    /** A child run's tags: the arm, its name, its overrides. */
    public static Map<String, String> childTags(Arm arm) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(ARM_TAG, Integer.toString(arm.index()));
        tags.put(ARM_NAME_TAG, arm.name());
        arm.overrides().forEach((key, value) -> tags.put(OVERRIDE_PREFIX + key, value));
        return tags;
    }

    /** A child run's params besides its experiment's: its overrides. */
    public static Map<String, String> childParams(Arm arm) {
        Map<String, String> params = new LinkedHashMap<>();
        arm.overrides().forEach((key, value) -> params.put(OVERRIDE_PREFIX + key, value));
        return params;
    }

    private static Optional<RunIdsFile.Entry> last(SweepFolder folder) throws IOException {
        List<RunIdsFile.Entry> runs = RunIdsFile.read(folder.root());
        return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(runs.size() - 1));
    }
}
