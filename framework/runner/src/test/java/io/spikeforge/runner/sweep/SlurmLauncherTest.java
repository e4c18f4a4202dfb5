package io.spikeforge.runner.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.runner.sweep.SweepFolder.IndexRow;
import io.spikeforge.testkit.SlowTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SLURM launcher against a real cluster ({@link SlurmTestCluster}): real job arrays, with a
 * stand-in for {@code spikeforge sweep arm} ({@link StandInArm}) that, per arm, finishes, fails,
 * dies without a final status, or hangs until cancelled.
 */
@SlowTest
@ExtendWith(SlurmTestCluster.class)
class SlurmLauncherTest {
    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final Set<ArmState> ENDED = EnumSet.of(ArmState.FINISHED, ArmState.FAILED, ArmState.CANCELLED,
            ArmState.INTERRUPTED);

    @TempDir
    Path temp;

    /** Cancels what a test submitted, so that a failed test leaves no job behind on the cluster. */
    @AfterEach
    void cancelJobs() throws Exception {
        SlurmTestCluster.cancelJobsOf(SweepFolder.at(temp.resolve("sweep")));
    }

    @Test
    void runsAJobArrayReportsFailedAndCancelledArmsAndResubmitsThem() throws Exception {
        SweepFolder sweep = sweep(Map.of(1, "fail", 2, "hang", 4, "die"), 5);
        SlurmSettings settings = new SlurmSettings(null, "00:05:00", 1, "200M", 0, 2, List.of());
        SlurmLauncher launcher = new SlurmLauncher(settings, temp);
        List<Arm> arms = arms(sweep);

        String job = launcher.submit(sweep, arms, standIn());

        String script = Files.readString(SlurmLauncher.jobScript(sweep));
        assertTrue(script.contains("#SBATCH --time=00:05:00\n#SBATCH --cpus-per-task=1\n#SBATCH --mem=200M\n"), script);
        assertTrue(script.contains("export OMP_NUM_THREADS=1\n"), script);
        // the arm runs in the sweep's working directory, where its experiment's relative paths resolve
        assertTrue(script.contains("#SBATCH --chdir=" + temp.toAbsolutePath().normalize() + "\n"), script);
        assertTrue(script.contains(" 'sweep' 'arm' '" + sweep.root().toAbsolutePath() + "' \"$SLURM_ARRAY_TASK_ID\"\n"),
                script);
        // arm 4 cannot start before arm 2 (which hangs) or arm 3 ended, at most two at once
        assertEquals(ArmState.QUEUED, launcher.state(sweep, arms.get(4)).orElseThrow());

        Path hanging = sweep.armFolder(arms.get(2)).resolve("status");
        waitFor(launcher, sweep, arms, reports -> reports.get(2).state() == ArmState.RUNNING && Files.exists(hanging));
        SlurmCommands.output(List.of("scancel", job + "_2"));
        List<ArmReport> ended = waitFor(launcher, sweep, arms,
                reports -> reports.stream().allMatch(report -> ENDED.contains(report.state())));

        assertEquals(List.of(ArmState.FINISHED, ArmState.FAILED, ArmState.CANCELLED, ArmState.FINISHED,
                ArmState.FAILED), ended.stream().map(ArmReport::state).toList());
        assertEquals("stand-in: arm 1 failed on purpose", ended.get(1).lastError().orElseThrow());
        assertTrue(ended.get(2).lastError().orElseThrow().contains("CANCELLED AT"), ended.get(2).toString());
        assertTrue(ended.get(4).lastError().orElseThrow().contains("ended while the run folder said running")
                && ended.get(4).lastError().orElseThrow().contains("stand-in: arm 4 died"), ended.get(4).toString());
        assertEquals(job + "_3", ended.get(3).job().orElseThrow());
        assertEquals("1\n", Files.readString(sweep.armFolder(arms.get(0)).resolve("omp-threads")));

        // status from the folder alone, as the command does: the index gets the states
        SlurmSweep submitted = SlurmSweep.at(sweep.root());
        assertEquals(settings, submitted.launcher().settings());
        List<ArmReport> status = submitted.status();
        assertEquals(ended.stream().map(ArmReport::state).toList(),
                sweep.readIndex().stream().map(IndexRow::state).toList());
        assertEquals(ended.stream().map(ArmReport::state).toList(),
                status.stream().map(ArmReport::state).toList());

        IllegalArgumentException finished = assertThrows(IllegalArgumentException.class,
                () -> submitted.resubmit(List.of(0, 9), false, standIn()));
        assertTrue(finished.getMessage().contains("arm 0 'arm-0' is finished")
                && finished.getMessage().contains("arm 9 does not exist"), finished.getMessage());

        // the cause fixed, the cancelled arm alone, then every failed one
        Files.delete(sweep.root().resolve("behaviour/1"));
        Files.delete(sweep.root().resolve("behaviour/2"));
        Files.delete(sweep.root().resolve("behaviour/4"));
        assertEquals(List.of(arms.get(2)), submitted.resubmit(List.of(2), false, standIn()).orElseThrow().arms());
        assertEquals(ArmState.QUEUED, sweep.readIndex().get(2).state());
        assertEquals(List.of(arms.get(1), arms.get(4)),
                submitted.resubmit(List.of(), true, standIn()).orElseThrow().arms());
        List<ArmReport> rerun = waitFor(launcher, sweep, arms,
                reports -> reports.stream().allMatch(report -> ENDED.contains(report.state())));
        assertEquals(List.of(ArmState.FINISHED), rerun.stream().map(ArmReport::state).distinct().toList(),
                rerun.toString());
        assertEquals("from running\n", Files.readString(sweep.armFolder(arms.get(2)).resolve("resumed")));
        assertEquals("from failed\n", Files.readString(sweep.armFolder(arms.get(1)).resolve("resumed")));
        assertTrue(submitted.resubmit(List.of(), true, standIn()).isEmpty());

        List<String> submissions = Files.readAllLines(sweep.launcherFolder("slurm").resolve("submissions.tsv"));
        assertEquals(4, submissions.size(), submissions.toString());
        assertEquals("job\tarms\tsubmitted", submissions.get(0));
        assertTrue(submissions.get(1).startsWith(job + "\t0,1,2,3,4\t"), submissions.get(1));
        assertTrue(submissions.get(2).matches("\\d+\t2\t.+Z"), submissions.get(2));
        assertTrue(submissions.get(3).matches("\\d+\t1,4\t.+Z"), submissions.get(3));
        assertEquals(rerun.get(2).job().orElseThrow(), submissions.get(2).split("\t")[0] + "_2");
    }

    @Test
    void aJobThatSlurmRefusesNamesTheCommandTheScriptAndWhatSlurmSaid() throws Exception {
        SweepFolder sweep = sweep(Map.of(), 1);
        SlurmLauncher launcher = new SlurmLauncher(new SlurmSettings("no-such-partition", null, 1, null, 0, 0,
                List.of()), temp);
        IOException refused = assertThrows(IOException.class, () -> launcher.submit(sweep, arms(sweep), standIn()));
        assertTrue(refused.getMessage().contains(SlurmLauncher.jobScript(sweep).toString())
                && refused.getMessage().contains("'sbatch --parsable --array=0 ")
                && refused.getMessage().toLowerCase().contains("invalid partition"), refused.getMessage());
        assertTrue(!Files.exists(sweep.launcherFolder("slurm").resolve("submissions.tsv")));
        // never submitted: shown as such, with why, and picked up by resubmit --failed
        ArmReport unsubmitted = launcher.inspect(sweep, arms(sweep)).get(0);
        assertEquals(ArmState.UNSUBMITTED, unsubmitted.state());
        assertEquals(Optional.of("never submitted: sbatch refused the submission"), unsubmitted.lastError());
        assertTrue(unsubmitted.state().endedUnfinished());
        assertTrue(launcher.state(sweep, arms(sweep).get(0)).isEmpty());
    }

    private static List<ArmReport> waitFor(SlurmLauncher launcher, SweepFolder sweep, List<Arm> arms,
                                                Predicate<List<ArmReport>> done) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        List<String> history = new ArrayList<>();
        while (true) {
            List<ArmReport> reports = launcher.inspect(sweep, arms);
            long running = reports.stream().filter(report -> report.state() == ArmState.RUNNING).count();
            assertTrue(running <= 2, "more than max_parallel = 2 arms running: " + reports);
            history.add(reports.stream().map(report -> report.state().word()).toList().toString());
            if (done.test(reports)) {
                return reports;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not done after " + DEADLINE.toSeconds() + " s; states seen: " + history);
            }
            Thread.sleep(250);
        }
    }

    private SweepFolder sweep(Map<Integer, String> behaviours, int armCount) throws IOException {
        return StandInArm.sweep(temp.resolve("sweep"), behaviours, armCount);
    }

    private static List<Arm> arms(SweepFolder sweep) throws IOException {
        return sweep.readIndex().stream().map(IndexRow::arm).toList();
    }

    private ArmCommand standIn() throws IOException {
        return StandInArm.command(temp.resolve("home"));
    }
}
