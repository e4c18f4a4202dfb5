package io.spikeforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.runner.sweep.ArmState;
import io.spikeforge.runner.sweep.ArmReport;
import io.spikeforge.runner.sweep.SlurmLauncher;
import io.spikeforge.runner.sweep.SlurmSettings;
import io.spikeforge.runner.sweep.SlurmSweep;
import io.spikeforge.runner.sweep.SlurmTestCluster;
import io.spikeforge.runner.sweep.StandInArm;
import io.spikeforge.runner.sweep.SweepFolder;
import io.spikeforge.testkit.SlowTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code sweep status} and {@code sweep resubmit} on a sweep submitted to a real SLURM cluster, its
 * arms run by {@link StandInArm}; {@code SlurmSweepIT} runs real arms through the distribution.
 */
@SlowTest
@ExtendWith(SlurmTestCluster.class)
class SweepSlurmCommandsTest {
    @TempDir
    Path temp;

    private String out;
    private String err;

    @AfterEach
    void cancelJobs() throws Exception {
        SlurmTestCluster.cancelJobsOf(SweepFolder.at(temp.resolve("sweep")));
    }

    @Test
    void statusShowsTheFailedArmAndResubmitRunsItAlone() throws Exception {
        SweepFolder sweep = StandInArm.sweep(temp.resolve("sweep"), Map.of(1, "fail"), 3);
        Path home = temp.resolve("home");
        new SlurmLauncher(new SlurmSettings(null, "5", 1, null, 0, 0, List.of()), temp)
                .launch(sweep, sweep.readIndex().stream().map(SweepFolder.IndexRow::arm).toList(),
                        StandInArm.command(home));
        waitUntilEnded(sweep);

        assertEquals(ExitCodes.RUN_FAILED, run("status", sweep.root().toString()), out + err);
        assertTrue(out.matches("(?s)arm +name +state +job +run folder\n"
                + "0 +arm-0 +finished +\\d+_0 +arms/000-arm-0\n"
                + "1 +arm-1 +failed +\\d+_1 +arms/001-arm-1\n"
                + " +stand-in: arm 1 failed on purpose\n"
                + "2 +arm-2 +finished +\\d+_2 +arms/002-arm-2\n"
                + "3 arms: 2 finished, 1 failed\n"
                + "Run them again with: spikeforge sweep resubmit .* --failed\n"), out);
        assertEquals(ArmState.FAILED, sweep.readIndex().get(1).state());

        // the distribution's launcher names its home; the arms run its bin/spikeforge, here the stand-in
        String previous = System.getProperty("spikeforge.home");
        System.setProperty("spikeforge.home", home.toString());
        try {
            assertEquals(ExitCodes.USAGE, run("resubmit", sweep.root().toString()));
            assertTrue(err.contains("--arm N (repeatable) or --failed"), err);
            assertEquals(ExitCodes.USAGE, run("resubmit", sweep.root().toString(), "--arm", "0"));
            assertTrue(err.contains("arm 0 'arm-0' is finished"), err);

            Files.delete(sweep.root().resolve("behaviour/1"));
            assertEquals(ExitCodes.OK, run("resubmit", sweep.root().toString(), "--failed"), err);
        } finally {
            if (previous == null) {
                System.clearProperty("spikeforge.home");
            } else {
                System.setProperty("spikeforge.home", previous);
            }
        }
        assertTrue(out.matches("Resubmitted arm 1 'arm-1' as SLURM job \\d+; see: spikeforge sweep status .*\n"), out);
        waitUntilEnded(sweep);
        assertEquals(ExitCodes.OK, run("status", sweep.root().toString()), out + err);
        assertTrue(out.endsWith("3 arms: 3 finished\n"), out);
        assertEquals("from failed\n", Files.readString(sweep.root().resolve("arms/001-arm-1/resumed")));
    }

    /** Runs {@code spikeforge sweep ARGS...} in this process. */
    private int run(String... args) {
        StringWriter outText = new StringWriter();
        StringWriter errText = new StringWriter();
        CommandLine cli = SpikeforgeCli.commandLine();
        cli.setOut(new PrintWriter(outText));
        cli.setErr(new PrintWriter(errText));
        int exit = cli.execute(java.util.stream.Stream.concat(java.util.stream.Stream.of("sweep"),
                java.util.Arrays.stream(args)).toArray(String[]::new));
        out = outText.toString();
        err = errText.toString();
        return exit;
    }

    private static void waitUntilEnded(SweepFolder sweep) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (true) {
            List<ArmReport> reports = SlurmSweep.at(sweep.root()).launcher()
                    .inspect(sweep, sweep.readIndex().stream().map(SweepFolder.IndexRow::arm).toList());
            if (reports.stream().noneMatch(r -> r.state() == ArmState.QUEUED || r.state() == ArmState.RUNNING)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("arms still queued or running after 120 s: " + reports);
            }
            Thread.sleep(250);
        }
    }
}
