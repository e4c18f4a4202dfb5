package io.spikeforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.runner.sweep.SlurmTestCluster;
import io.spikeforge.runner.sweep.SweepFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A study submitted to a real SLURM cluster through the distribution: {@code sweep} returns after
 * submission, {@code sweep status} follows the arms, the arm that failed at run time is
 * resubmitted alone once its cause is fixed, and the MLflow parent run ends FINISHED when the last
 * arm did.
 */
@ExtendWith(SlurmTestCluster.class)
class SlurmSweepIT {
    private static final long ARMS_TIMEOUT_SECONDS = 300;

    @TempDir
    Path workDir;

    private final DistributionRunner spikeforge = new DistributionRunner();

    @AfterEach
    void cancelJobs() throws Exception {
        SlurmTestCluster.cancelJobsOf(SweepFolder.at(workDir.resolve("sweep")));
    }

    @Test
    void aFailedArmIsReportedResubmittedAloneAndTheParentRunFinishesWithTheLastArm() throws Exception {
        Files.copy(Path.of(SlurmSweepIT.class.getResource("/experiments/tiny-run.yaml").toURI()),
                workDir.resolve("tiny-run.yaml"));
        // "broken" loads its teacher from a file that does not exist yet: a warning when the sweep is
        // checked, a failure when the arm runs
        Files.writeString(workDir.resolve("study.yaml"), """
                kind: study
                name: slurm-it
                experiment: tiny-run.yaml
                overrides:
                  tracking.enabled: true
                arms:
                  ok: {}
                  broken: {teacher.weights: teacher.safetensors}
                launcher: {name: slurm, cpus: 1, time: "5", memory: 1G, max_parallel: 2}
                """);

        DistributionRunner.Result submitted = spikeforge.run(workDir, Map.of(), "sweep", "study.yaml", "--dir",
                "sweep");
        assertEquals(ExitCodes.OK, submitted.exitCode(), submitted::toString);
        assertTrue(submitted.out().matches("(?s)submitted 2 arm\\(s\\) as SLURM job \\d+\n.*"), submitted::toString);
        Path dir = workDir.resolve("sweep");
        String script = Files.readString(dir.resolve("slurm/job.sh"));
        assertTrue(script.contains("#SBATCH --chdir=" + workDir.toRealPath() + "\n"), script);
        assertTrue(script.contains("#SBATCH --time=5\n#SBATCH --cpus-per-task=1\n#SBATCH --mem=1G\n"), script);
        Path parent = parentRun();
        assertTrue(Files.readString(parent.resolve("meta.yaml")).contains("status: 1"),
                "the parent runs on after submission");

        DistributionRunner.Result status = waitUntilNoArmToCome();
        assertEquals(ExitCodes.RUN_FAILED, status.exitCode(), status::toString);
        assertTrue(status.out().matches("(?s)arm +name +state +job +run folder\n"
                + "0 +ok +finished +\\d+_0 +arms/000-ok\n"
                + "1 +broken +failed +\\d+_1 +arms/001-broken\n"
                + " +\\S.*teacher\\.safetensors.*\n"
                + "2 arms: 1 finished, 1 failed\n"
                + "Run them again with: spikeforge sweep resubmit .* --failed\n"), status::toString);
        assertTrue(Files.readString(parent.resolve("meta.yaml")).contains("status: 4"),
                "the parent failed with the broken arm");

        // the cause fixed: the teacher "ok" trained has the same architecture
        Files.copy(findTeacher(dir), workDir.resolve("teacher.safetensors"));
        DistributionRunner.Result resubmitted = spikeforge.run(workDir, Map.of(), "sweep", "resubmit", "sweep",
                "--failed");
        assertEquals(ExitCodes.OK, resubmitted.exitCode(), resubmitted::toString);
        assertTrue(resubmitted.out().startsWith("Resubmitted arm 1 'broken' as SLURM job "), resubmitted::toString);
        assertTrue(Files.readString(parent.resolve("meta.yaml")).contains("status: 1"),
                "a resubmission reopens the parent");

        status = waitUntilNoArmToCome();
        assertEquals(ExitCodes.OK, status.exitCode(), status::toString);
        assertTrue(status.out().endsWith("2 arms: 2 finished\n"), status::toString);
        List<String> index = Files.readAllLines(dir.resolve("index.tsv"));
        assertEquals(3, index.size(), index::toString);
        index.stream().skip(1).forEach(line -> assertEquals("finished", line.split("\t")[2], line));
        List<String> submissions = Files.readAllLines(dir.resolve("slurm/submissions.tsv"));
        assertTrue(submissions.get(1).matches("\\d+\t0,1\t.+"), submissions::toString);
        assertTrue(submissions.get(2).matches("\\d+\t1\t.+"), submissions::toString);
        assertEquals(3, submissions.size(), submissions::toString);

        // MLflow: one parent, each arm a child run of it, and the parent finished with the last arm
        Path experimentStore = parent.getParent();
        List<Path> runs = list(experimentStore).stream().filter(Files::isDirectory).toList();
        String parentId = parent.getFileName().toString();
        Set<String> armsWithChildren = new TreeSet<>();
        for (Path run : runs) {
            if (!run.equals(parent)) {
                assertEquals(parentId, Files.readString(run.resolve("tags/mlflow.parentRunId")), run::toString);
                armsWithChildren.add(Files.readString(run.resolve("tags/sweep.arm_name")));
            }
        }
        assertEquals(Set.of("broken", "ok"), armsWithChildren);
        // the broken arm stopped before its run started: no child run of it but the resubmitted one
        assertEquals(3, runs.size(), runs::toString);
        assertTrue(Files.readString(parent.resolve("meta.yaml")).contains("status: 3"), "the parent finished");
    }

    /** The sweep's one MLflow parent run, in the store of the working directory. */
    private Path parentRun() throws IOException {
        List<Path> parents = list(workDir.resolve("mlruns")).stream()
                .filter(p -> Files.isDirectory(p) && !p.getFileName().toString().startsWith("."))
                .flatMap(experiment -> {
                    try {
                        return list(experiment).stream();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })
                .filter(run -> Files.exists(run.resolve("tags/spikeforge.sweep_folder"))).toList();
        assertEquals(1, parents.size(), parents::toString);
        return parents.get(0);
    }

    /** Polls {@code sweep status} until no arm is queued or running. */
    private DistributionRunner.Result waitUntilNoArmToCome() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ARMS_TIMEOUT_SECONDS);
        while (true) {
            DistributionRunner.Result status = spikeforge.run(workDir, Map.of(), "sweep", "status", "sweep");
            assertTrue(status.exitCode() == ExitCodes.OK || status.exitCode() == ExitCodes.RUN_FAILED,
                    status::toString);
            if (!status.out().matches("(?s).*\\b(queued|running|pending)\\b.*")) {
                return status;
            }
            assertTrue(System.nanoTime() < deadline, () -> "arms still to come after " + ARMS_TIMEOUT_SECONDS
                    + " s:\n" + status);
            Thread.sleep(3000);
        }
    }

    private static Path findTeacher(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(file -> file.getFileName().toString().equals("teacher.safetensors")).findFirst()
                    .orElseThrow(() -> new AssertionError("no teacher.safetensors in " + folder));
        }
    }

    private static List<Path> list(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.sorted().toList();
        }
    }
}
