package io.spikeforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.runner.sweep.SlurmTestCluster;
import io.spikeforge.runner.sweep.SweepFolder;
import io.spikeforge.tracking.FakeMlflowServer;
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
import org.junit.jupiter.api.Assumptions;
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

    /** A partition a test creates on the cluster, removed after it. */
    private String partition;

    @AfterEach
    void cancelJobs() throws Exception {
        SlurmTestCluster.cancelJobsOf(SweepFolder.at(workDir.resolve("sweep")));
        if (partition != null) {
            scontrol("delete", "PartitionName=" + partition);
        }
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

        // the arm that ended last ended the parent, before anyone asked for the status
        waitForParentStatus(parent, "status: 4");
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

        waitForParentStatus(parent, "status: 3");
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

    @Test
    void armsThatSbatchRefusedAreUnsubmittedAndResubmittedWithFailedTrackedToAServer() throws Exception {
        Files.copy(Path.of(SlurmSweepIT.class.getResource("/experiments/tiny-run.yaml").toURI()),
                workDir.resolve("tiny-run.yaml"));
        // a partition that does not exist yet: sbatch refuses the job
        partition = "spikeforge-it-" + ProcessHandle.current().pid();
        Files.writeString(workDir.resolve("study.yaml"), """
                kind: study
                name: slurm-refused
                experiment: tiny-run.yaml
                overrides:
                  tracking.enabled: true
                arms:
                  a: {distillation.weight: 0.1}
                  b: {distillation.weight: 0.3}
                launcher: {name: slurm, partition: %s, cpus: 1, time: "5", memory: 1G}
                """.formatted(partition));
        try (FakeMlflowServer server = FakeMlflowServer.start()) {
            Map<String, String> toServer = Map.of("MLFLOW_TRACKING_URI", server.uri().toString());
            DistributionRunner.Result refused = spikeforge.run(workDir, toServer, "sweep", "study.yaml", "--dir",
                    "sweep");
            assertEquals(ExitCodes.RUN_FAILED, refused.exitCode(), refused::toString);
            assertTrue(refused.err().toLowerCase(java.util.Locale.ROOT).contains("invalid partition"), refused::toString);
            assertTrue(refused.err().contains("No arm was submitted; once the cause is fixed, submit them with: "
                    + "spikeforge sweep resubmit "), refused::toString);
            assertEquals("FAILED", sweepParent(server).status());

            DistributionRunner.Result status = spikeforge.run(workDir, toServer, "sweep", "status", "sweep");
            assertEquals(ExitCodes.RUN_FAILED, status.exitCode(), status::toString);
            assertTrue(status.out().matches("(?s)arm +name +state +job +run folder\n"
                    + "0 +a +unsubmitted +- +arms/000-a\n"
                    + " +never submitted: sbatch refused the submission\n"
                    + "1 +b +unsubmitted +- +arms/001-b\n"
                    + " +never submitted: sbatch refused the submission\n"
                    + "2 arms: 2 unsubmitted\n"
                    + "Run them again with: spikeforge sweep resubmit .* --failed\n"), status::toString);
            assertTrue(Files.readString(workDir.resolve("sweep/index.tsv")).contains("\tunsubmitted\t"));
            assertEquals("FAILED", sweepParent(server).status(), "unsubmitted arms are not to come");

            // the cause fixed: the cluster gets the partition
            String created = scontrol("create", "PartitionName=" + partition, "Nodes=ALL", "State=UP");
            Assumptions.assumeTrue(created.isEmpty(), () -> "cannot create a partition: " + created);
            DistributionRunner.Result resubmitted = spikeforge.run(workDir, toServer, "sweep", "resubmit", "sweep",
                    "--failed");
            assertEquals(ExitCodes.OK, resubmitted.exitCode(), resubmitted::toString);
            assertTrue(resubmitted.out().startsWith("Resubmitted arms 0 'a', 1 'b' as SLURM job "),
                    resubmitted::toString);
            assertEquals("RUNNING", sweepParent(server).status(), "the resubmission reopened the parent on the server");

            // the last arm ends the parent on the server; nobody runs sweep status meanwhile
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ARMS_TIMEOUT_SECONDS);
            while (!sweepParent(server).status().equals("FINISHED")) {
                assertTrue(System.nanoTime() < deadline, () -> "the parent did not finish: " + server.runs());
                Thread.sleep(1000);
            }
            FakeMlflowServer.Run parent = sweepParent(server);
            List<FakeMlflowServer.Run> children = server.runs().stream()
                    .filter(run -> parent.id().equals(run.tags().get("mlflow.parentRunId"))).toList();
            assertEquals(List.of("0.1", "0.3"), children.stream()
                    .map(run -> run.params().get("override.distillation.weight")).sorted().toList());
            children.forEach(child -> assertEquals("FINISHED", child.status(), child::toString));
            status = spikeforge.run(workDir, toServer, "sweep", "status", "sweep");
            assertEquals(ExitCodes.OK, status.exitCode(), status::toString);
            assertTrue(status.out().endsWith("2 arms: 2 finished\n"), status::toString);
        }
    }

    /** Runs scontrol: empty when it succeeded, else its exit status and output. */
    private static String scontrol(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("scontrol"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        return process.waitFor() == 0 ? "" : "exit " + process.exitValue() + ": " + output;
    }

    private static FakeMlflowServer.Run sweepParent(FakeMlflowServer server) {
        List<FakeMlflowServer.Run> parents = server.runs().stream()
                .filter(run -> run.tags().containsKey("spikeforge.sweep_folder")).toList();
        assertEquals(1, parents.size(), parents::toString);
        return parents.get(0);
    }

    /** Waits until the parent run's meta.yaml says {@code status}, without asking {@code sweep status}. */
    private static void waitForParentStatus(Path parent, String status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ARMS_TIMEOUT_SECONDS);
        while (!Files.readString(parent.resolve("meta.yaml")).contains(status)) {
            assertTrue(System.nanoTime() < deadline, () -> "the parent run is not '" + status + "' after "
                    + ARMS_TIMEOUT_SECONDS + " s");
            Thread.sleep(1000);
        }
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
