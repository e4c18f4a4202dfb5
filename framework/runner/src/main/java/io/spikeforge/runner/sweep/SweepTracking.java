package io.spikeforge.runner.sweep;

import io.spikeforge.tracking.RunIdsFile;
import io.spikeforge.tracking.RunStatus;
import io.spikeforge.tracking.RunTags;
import io.spikeforge.tracking.RunTrackers;
import io.spikeforge.tracking.RunTracker;
import io.spikeforge.tracking.TrackedRun;
import io.spikeforge.tracking.SyncReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A sweep in MLflow: the sweep is a parent run in its base experiment's MLflow experiment, each arm
 * a child run ({@code mlflow.parentRunId}) with its overrides as params ({@code override.<key>}) and
 * tags ({@code sweep.arm}, {@code sweep.arm_name}, {@code override.<key>}). The parent's id is kept
 * in the sweep folder's {@code mlflow_run_ids} (as a run folder keeps its run's), where arms running
 * in other processes, on other machines, find it.
 *
 * <p>The parent's status: a local sweep ends it when its last arm ended, and a resumed local sweep
 * reopens the same parent ({@link #reopenParent}). A SLURM sweep's {@code spikeforge sweep} returns
 * after submission and leaves it RUNNING; the arm that ends last ends it, and
 * {@code spikeforge sweep status} settles it too ({@link #settleParent}). A change after the
 * parent's process ended is written to the parent in its store and, for a spooled parent, sent to
 * the server at once; what the server does not take then waits for {@code spikeforge mlflow sync}.
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

    /** Starts the sweep's parent run, named after the sweep folder, with the sweep's settings as params. */
    public static TrackedRun startParent(RunTracker tracker, String mlflowExperiment, SweepFolder folder,
                                         Sweep sweep) throws IOException {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(RunTags.RUN_FOLDER, folder.root().toAbsolutePath().toString());
        tags.put(SWEEP_FOLDER_TAG, folder.root().toAbsolutePath().toString());
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

    /**
     * For a resumed sweep: reopens the sweep's parent run (RUNNING again), so that the arms run now
     * are children of the same parent as those that ran before. Empty when the sweep has no parent
     * run, or its parent went where {@code tracker} does not write (another store or server, or
     * tracking is off now): then the caller starts a new one.
     *
     * @throws IOException if the parent cannot be written in its store
     */
    public static Optional<RunIdsFile.Entry> reopenParent(RunTracker tracker, SweepFolder folder,
                                                          Consumer<String> warnings) throws IOException {
        Optional<RunIdsFile.Entry> parent = parentRun(folder);
        if (parent.isEmpty() || tracker.referenceTo(parent.get()).isEmpty()) {
            return Optional.empty();
        }
        setStatus(parent.get(), RunStatus.RUNNING, warnings);
        return parent;
    }

    /** The id of the sweep's current parent run in its store, if the sweep is tracked. */
    public static Optional<String> parentRunId(SweepFolder folder) throws IOException {
        return parentRun(folder).map(RunIdsFile.Entry::runId);
    }

    /**
     * The sweep's current parent run, as the sweep folder's {@value RunIdsFile#FILE_NAME} lists it
     * (the last one listed: a sweep resumed where its first parent cannot be reached, such as with
     * another tracking server, lists a second one).
     */
    public static Optional<RunIdsFile.Entry> parentRun(SweepFolder folder) throws IOException {
        return last(folder);
    }

    /**
     * Sets the sweep's parent run's status by where its arms stand: RUNNING while one is pending,
     * queued or running (a resubmission reopens an ended parent), else {@code FINISHED} if every arm
     * finished, else {@code FAILED}. Returns the parent's status now; empty when the sweep is not
     * tracked.
     *
     * @param warnings told when the change is written but did not reach the parent's server
     * @throws IOException if the parent run cannot be found or written in its store
     */
    public static Optional<RunStatus> settleParent(SweepFolder folder, List<ArmState> arms, Consumer<String> warnings)
            throws IOException {
        RunStatus status = arms.stream().anyMatch(state -> state == ArmState.PENDING || state == ArmState.QUEUED
                || state == ArmState.RUNNING) ? RunStatus.RUNNING : statusOfEnded(arms);
        return setParentStatus(folder, status, warnings);
    }

    /** The status of a parent whose arms all ended: FINISHED if every one finished, else FAILED. */
    public static RunStatus statusOfEnded(List<ArmState> arms) {
        return arms.stream().allMatch(state -> state == ArmState.FINISHED) ? RunStatus.FINISHED : RunStatus.FAILED;
    }

    /**
     * Sets the status of the sweep's parent run, written in its store by a process other than the
     * one that started it ({@link RunTrackers#setRecordedRunStatus}); a spooled parent whose
     * status changed is sent to its server at once. Empty when the sweep is not tracked.
     *
     * @param warnings told when the change did not reach the server (it waits in the spool)
     * @throws IOException if the parent run cannot be found or written in its store
     */
    public static Optional<RunStatus> setParentStatus(SweepFolder folder, RunStatus status, Consumer<String> warnings)
            throws IOException {
        Optional<RunIdsFile.Entry> parent = parentRun(folder);
        if (parent.isEmpty()) {
            return Optional.empty();
        }
        setStatus(parent.get(), status, warnings);
        return Optional.of(status);
    }

    private static void setStatus(RunIdsFile.Entry parent, RunStatus status, Consumer<String> warnings)
            throws IOException {
        if (RunTrackers.setRecordedRunStatus(parent, status) == status) {
            return;
        }
        String where = parent.store().map(Path::toString).orElse("?");
        try {
            Optional<SyncReport> sent = RunTrackers.sendRecordedRun(parent, System.getenv());
            if (sent.isPresent() && !sent.get().complete()) {
                String why = sent.get().runs().stream().map(SyncReport.RunSync::problem).flatMap(Optional::stream)
                        .findFirst().or(() -> sent.get().unreachable()).orElse(sent.get().outcome().toString());
                warnings.accept("MLflow: the sweep's parent run " + parent.runId() + " is " + status.mlflowName()
                        + " in the spool " + where + " but not on " + sent.get().server() + " (" + why + "); send it "
                        + "with: spikeforge mlflow sync --spool " + where + " --uri " + sent.get().server());
            }
        } catch (IOException | RuntimeException e) {
            warnings.accept("MLflow: the sweep's parent run " + parent.runId() + " is " + status.mlflowName()
                    + " in the spool " + where + " but could not be sent to " + parent.server().orElse("its server")
                    + " (" + e.getMessage() + "); send it with: spikeforge mlflow sync --spool " + where);
        }
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
