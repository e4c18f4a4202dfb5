package io.spikeforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.runner.sweep.Arm;
import io.spikeforge.runner.sweep.ArmState;
import io.spikeforge.runner.sweep.SweepFolder;
import io.spikeforge.tracking.RunStatus;
import io.spikeforge.tracking.RunTags;
import io.spikeforge.tracking.RunTracker;
import io.spikeforge.tracking.RunTrackers;
import io.spikeforge.tracking.TrackedRun;
import io.spikeforge.tracking.TrackingOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spikeforge report} as a user types it: its errors and exit codes, and a sweep none of whose
 * arms has started (the numbers of real runs are checked by the runner's SweepReportTest).
 */
class ReportCommandTest {
    @TempDir
    Path dir;
    private final InProcessCli cli = new InProcessCli();

    private Path pendingSweep() throws Exception {
        Path sweepDir = dir.resolve("sweep");
        SweepFolder sweep = SweepFolder.at(sweepDir);
        Files.createDirectories(sweepDir);
        Files.writeString(sweep.sweepFile(), "# resolved sweep\n");
        sweep.writeIndex(List.of(
                new SweepFolder.IndexRow(new Arm(0, "baseline,seed=1", Map.of("experiment.seed", "1")), ArmState.QUEUED),
                new SweepFolder.IndexRow(new Arm(1, "idsnn,seed=1", Map.of("distillation.weight", "0.3",
                        "experiment.seed", "1")), ArmState.PENDING)));
        return sweepDir;
    }

    @Test
    void aFolderThatIsNotASweepExitsTwoNamingIt() {
        assertEquals(ExitCodes.USAGE, cli.run("report", dir.toString()), cli.output());
        assertEquals("error: " + dir + ": not a sweep folder: it has no sweep.yaml\n", cli.err());
    }

    @Test
    void aTargetAccuracyIsAPercentage() throws Exception {
        assertEquals(ExitCodes.USAGE, cli.run("report", pendingSweep().toString(), "--target-accuracy", "150"),
                cli.output());
        assertTrue(cli.err().contains("--target-accuracy: a target accuracy is a percentage in (0, 100], got 150.0"), cli.output());
        assertEquals(ExitCodes.USAGE, cli.run("report", pendingSweep().toString(), "--per-arm", "--group-by-seed"));
    }

    @Test
    void theStudysReportSectionGivesTheDefaultsAndTheOptionsOverrideThem() throws Exception {
        Path sweepDir = pendingSweep();
        Path sweepFile = sweepDir.resolve("sweep.yaml");
        Files.writeString(sweepFile, "report:\n  target_accuracy: 50\n");
        assertEquals(ExitCodes.OK, cli.run("report", sweepDir.toString(), "--no-mlflow"), cli.output());
        assertTrue(cli.out().contains("epoch to 50.00 %"), cli.output());
        assertEquals(ExitCodes.OK, cli.run("report", sweepDir.toString(), "--no-mlflow", "--target-accuracy", "60"),
                cli.output());
        assertTrue(cli.out().contains("epoch to 60.00 %") && !cli.out().contains("50.00 %"), cli.output());

        Files.writeString(sweepFile, "report:\n  target_accuracy: 150\n");
        assertEquals(ExitCodes.USAGE, cli.run("report", sweepDir.toString(), "--no-mlflow"), cli.output());
        assertEquals("error: " + sweepFile + ": report.target_accuracy: a target accuracy is a percentage in "
                + "(0, 100], got 150.0\n", cli.err());
        Files.writeString(sweepFile, "report:\n  baseline: ce-only\n");
        assertEquals(ExitCodes.USAGE, cli.run("report", sweepDir.toString(), "--no-mlflow"), cli.output());
        assertTrue(cli.err().contains(sweepFile + ": report.baseline: unknown report key; expected one of: model, "
                + "group_by_seed, target_accuracy, convergence"), cli.output());
    }

    @Test
    void aSweepWithoutRunsListsItsArmsAndLogsTheReportToItsParentRun() throws Exception {
        Path sweepDir = pendingSweep();
        Path store = dir.resolve("mlruns");
        String parentId;
        try (RunTracker tracker = RunTrackers.open(TrackingOptions.resolve(true, Optional.of(store.toUri()),
                TrackingOptions.DEFAULT_DELIVERY_TIMEOUT, Map.of(), dir))) {
            TrackedRun parent = tracker.startRun("sweeps", "sweep", Optional.empty(),
                    Map.of(RunTags.RUN_FOLDER, sweepDir.toString()));
            parentId = parent.runId();
            parent.end(RunStatus.FINISHED, Optional.empty());
        }

        assertEquals(ExitCodes.OK, cli.run("report", sweepDir.toString()), cli.output());
        assertTrue(cli.out().contains("| baseline,seed=1 | queued | 1 | — |"), cli.output());
        assertTrue(cli.out().contains("| idsnn,seed=1 | pending | 1 | — |"), cli.output());
        assertTrue(cli.out().contains("Logged it to MLflow parent run " + parentId), cli.output());
        assertNotNull(ImageIO.read(sweepDir.resolve("report-accuracy.png").toFile()), "a chart without points");
        Path run;
        try (Stream<Path> runs = Files.walk(store, 2)) {
            run = runs.filter(p -> p.getFileName().toString().equals(parentId)).findFirst().orElseThrow();
        }
        assertEquals(Files.readString(sweepDir.resolve("report.md")),
                Files.readString(run.resolve("artifacts/report/report.md")));
        assertFalse(Files.exists(run.resolve("metrics")) && Files.list(run.resolve("metrics")).findAny().isPresent(),
                "no arm has an accuracy to log");

        assertEquals(ExitCodes.OK, cli.run("report", sweepDir.toString(), "--per-arm", "--no-mlflow"), cli.output());
        assertFalse(cli.out().contains("Logged"), cli.output());
    }
}
