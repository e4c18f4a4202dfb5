package io.spikeforge.runner.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.runner.config.ConfigError;
import io.spikeforge.runner.config.ConfigException;
import io.spikeforge.runner.config.LauncherConfig;
import io.spikeforge.tracking.RunStatus;
import io.spikeforge.tracking.RunTags;
import io.spikeforge.tracking.RunTracker;
import io.spikeforge.tracking.RunTrackers;
import io.spikeforge.tracking.TrackedRun;
import io.spikeforge.tracking.TrackingOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wiring of launchers, status and the parent run that every launcher shares: where a local
 * sweep's arms stand, which launcher keys apply, and the parent run's status rule of a SLURM sweep.
 */
class SweepStatusTest {
    @TempDir
    Path temp;

    @Test
    void aLocalSweepsArmsStandWhereTheirRunFoldersSay() throws IOException {
        SweepFolder sweep = StandInArm.sweep(temp.resolve("sweep"), Map.of(), 3);
        List<Arm> arms = sweep.readIndex().stream().map(SweepFolder.IndexRow::arm).toList();
        Files.createDirectories(sweep.armFolder(arms.get(0)));
        Files.writeString(sweep.armFolder(arms.get(0)).resolve("status"), "finished\n");
        Files.createDirectories(sweep.armFolder(arms.get(1)));
        Files.writeString(sweep.armFolder(arms.get(1)).resolve("status"), "failed\njava.io.IOException: boom\n\n");

        SweepStatus status = SweepStatus.read(sweep.root());

        assertEquals(LauncherConfig.LOCAL, status.launcher());
        assertEquals(List.of(ArmState.FINISHED, ArmState.FAILED, ArmState.PENDING),
                status.arms().stream().map(ArmReport::state).toList());
        assertEquals(Optional.of("java.io.IOException: boom"), status.arms().get(1).lastError());
        assertEquals(Optional.empty(), status.arms().get(1).job());
        assertTrue(status.anyFailed() && status.anyToCome());
        IOException notASweep = assertThrows(IOException.class, () -> SweepStatus.read(temp));
        assertTrue(notASweep.getMessage().contains("not a sweep folder"), notASweep.getMessage());
    }

    @Test
    void slurmSettingsAreCheckedAndKeysTheLauncherDoesNotUseAreWarnedOf() throws ConfigException {
        Path study = temp.resolve("study.yaml");
        LauncherConfig slurm = new LauncherConfig("slurm", 2, Optional.of("gpu"), Optional.of("12:00:00"),
                Optional.of(4), Optional.of("8G"), 1, Optional.of(3));
        assertEquals(new SlurmSettings("gpu", "12:00:00", 4, "8G", 1, 3, List.of()), SlurmSettings.of(slurm));
        List<ConfigError> warnings = new ArrayList<>();
        SweepLoader.checkLauncher(slurm, study, false, warnings::add);
        assertEquals(List.of(study + ": launcher.parallel: not used by the slurm launcher: ignored"),
                warnings.stream().map(ConfigError::toString).toList());

        warnings.clear();
        SweepLoader.checkLauncher(slurm.withName("local"), study, false, warnings::add);
        assertEquals(List.of("launcher.partition, launcher.time, launcher.cpus, launcher.memory, launcher.gpus, "
                + "launcher.max_parallel"), warnings.stream().map(ConfigError::keyPath).toList());

        ConfigException parallel = assertThrows(ConfigException.class,
                () -> SweepLoader.checkLauncher(slurm, study, true, warning -> { }));
        assertEquals("launcher.parallel", parallel.errors().get(0).keyPath());
        LauncherConfig badTime = new LauncherConfig("slurm", 1, Optional.empty(), Optional.of("soon"),
                Optional.empty(), Optional.empty(), 0, Optional.empty());
        ConfigException time = assertThrows(ConfigException.class,
                () -> SweepLoader.checkLauncher(badTime, study, false, warning -> { }));
        assertEquals(study + ": launcher.time: expected a SLURM time limit such as 90 (minutes), 02:00:00 or "
                + "1-12:00:00, got 'soon'", time.errors().get(0).toString());
    }

    @Test
    void theParentOfASlurmSweepEndsWhenNoArmIsToComeAndRunsAgainWhenOneIs() throws IOException {
        SweepFolder sweep = StandInArm.sweep(temp.resolve("sweep"), Map.of(), 2);
        List<String> warnings = new ArrayList<>();
        assertEquals(Optional.empty(), SweepTracking.settleParent(sweep, List.of(ArmState.FINISHED), warnings::add));
        String runId;
        try (RunTracker tracker = RunTrackers.open(TrackingOptions.resolve(true, Optional.empty(),
                TrackingOptions.DEFAULT_DELIVERY_TIMEOUT, Map.of(), temp))) {
            TrackedRun parent = tracker.startRun("e", "sweep", Optional.empty(),
                    Map.of(RunTags.RUN_FOLDER, sweep.root().toString()));
            runId = parent.runId();
            tracker.leaveRunning(parent);
        }
        assertEquals(runId, SweepTracking.parentRunId(sweep).orElseThrow());
        assertEquals(Optional.of(RunStatus.RUNNING),
                SweepTracking.settleParent(sweep, List.of(ArmState.FINISHED, ArmState.QUEUED), warnings::add));
        assertEquals(Optional.of(RunStatus.FAILED),
                SweepTracking.settleParent(sweep, List.of(ArmState.FINISHED, ArmState.CANCELLED), warnings::add));
        assertTrue(meta(runId).contains("status: 4"), meta(runId));
        assertEquals(Optional.of(RunStatus.RUNNING),
                SweepTracking.settleParent(sweep, List.of(ArmState.FINISHED, ArmState.QUEUED), warnings::add));
        assertTrue(meta(runId).contains("status: 1"), meta(runId));
        assertEquals(Optional.of(RunStatus.FINISHED),
                SweepTracking.settleParent(sweep, List.of(ArmState.FINISHED, ArmState.FINISHED), warnings::add));
        assertTrue(meta(runId).contains("status: 3"), meta(runId));
        assertEquals(List.of(), warnings, "a parent in a local store has no server to reach");
        // a never-submitted arm is not to come: it fails the sweep
        assertEquals(Optional.of(RunStatus.FAILED),
                SweepTracking.settleParent(sweep, List.of(ArmState.FINISHED, ArmState.UNSUBMITTED), warnings::add));
    }

    @Test
    void theArmThatEndsLastInItsLatestJobEndsTheSweep() throws IOException {
        SweepFolder sweep = StandInArm.sweep(temp.resolve("sweep"), Map.of(), 2);
        List<Arm> arms = sweep.readIndex().stream().map(SweepFolder.IndexRow::arm).toList();
        SlurmSubmissions submissions = new SlurmSubmissions(sweep.launcherFolder(SlurmLauncher.NAME)
                .resolve(SlurmSubmissions.FILE));
        submissions.append(new SlurmSubmissions.Submission("42", List.of(0, 1), java.time.Instant.now()));
        assertEquals(Optional.empty(), SlurmSweep.armEnded(sweep, arms, arms.get(0), "42", ArmState.FINISHED));
        assertEquals(Optional.of(RunStatus.FAILED), SlurmSweep.armEnded(sweep, arms, arms.get(1), "42",
                ArmState.FAILED));
        // arm 1 resubmitted: its end in job 42 no longer counts, its end in job 43 does
        submissions.append(new SlurmSubmissions.Submission("43", List.of(1), java.time.Instant.now()));
        assertEquals(Optional.empty(), SlurmSweep.armEnded(sweep, arms, arms.get(0), "42", ArmState.FINISHED));
        assertEquals(Optional.of(RunStatus.FINISHED), SlurmSweep.armEnded(sweep, arms, arms.get(1), "43",
                ArmState.FINISHED));
    }

    private String meta(String runId) throws IOException {
        try (var runs = Files.walk(temp.resolve("mlruns"))) {
            return Files.readString(runs.filter(p -> p.getFileName().toString().equals(runId)).findFirst()
                    .orElseThrow().resolve("meta.yaml"));
        }
    }
}
