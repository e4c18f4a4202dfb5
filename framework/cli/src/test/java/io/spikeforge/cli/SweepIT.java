package io.spikeforge.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sweeps through the distribution, each arm a real process: a sweep of three arms that share one
 * teacher, two at a time, tracked in a real MLflow store as a parent run with its children; and a
 * sweep stopped in the middle of an arm and resumed.
 */
class SweepIT {
    private static final long SWEEP_TIMEOUT_SECONDS = 540;

    @TempDir
    Path workDir;

    private final DistributionRunner spikeforge = new DistributionRunner();

    private static String experiment() throws Exception {
        return Path.of(SweepIT.class.getResource("/experiments/tiny-run.yaml").toURI()).toString();
    }

    @Test
    void armsWithOneTeacherShareItTrainedOnceAndAreChildRunsOfTheSweep() throws Exception {
        DistributionRunner.Result sweep = spikeforge.runFor(SWEEP_TIMEOUT_SECONDS, workDir, "sweep", experiment(),
                "distillation.weight=0.1,0.3,0.5", "tracking.enabled=true", "teacher.training.epochs=2",
                "--parallel", "2", "--dir", "sweep");
        assertEquals(ExitCodes.OK, sweep.exitCode(), sweep::toString);
        assertTrue(sweep.out().contains("finished 3 of 3"), sweep::toString);
        Path dir = workDir.resolve("sweep");
        List<String> index = Files.readAllLines(dir.resolve("index.tsv"));
        assertEquals(4, index.size(), index::toString);
        index.stream().skip(1).forEach(line -> assertEquals("finished", line.split("\t")[2], line));
        List<Path> arms = list(dir.resolve("arms"));
        assertEquals(3, arms.size());
        for (Path arm : arms) {
            assertTrue(Files.isRegularFile(dir.resolve("local").resolve(arm.getFileName() + ".log")), arm::toString);
        }

        // one teacher, trained in exactly one arm, published with the inputs of its hash
        List<Path> shared = list(dir.resolve("shared")).stream().filter(Files::isDirectory).toList();
        assertEquals(1, shared.size(), shared::toString);
        assertTrue(Files.isRegularFile(shared.get(0).resolve("teacher.safetensors")));
        assertTrue(Files.readString(shared.get(0).resolve("inputs.txt")).contains("teacher.training.epochs: 2\n"));
        List<Path> trainers = new ArrayList<>();
        for (Path arm : arms) {
            String used = Files.readString(arm.resolve("shared-model.txt"));
            assertTrue(used.startsWith("model: " + shared.get(0).getFileName() + "\n"), used);
            boolean trainedTeacher = teacherRows(arm).stream().anyMatch(row -> !row.get(1).equals("0"));
            if (used.contains("how: trained in this run")) {
                trainers.add(arm);
                assertTrue(trainedTeacher, arm::toString);
            } else {
                assertTrue(used.contains("how: loaded, trained by arm "), used);
                assertFalse(trainedTeacher, "an arm with the shared teacher does not train one: " + arm);
                assertTrue(Files.readString(arm.resolve("config.yaml")).contains(shared.get(0).toString()));
            }
        }
        assertEquals(1, trainers.size(), trainers::toString);

        // an arm that loaded the teacher ends as the same run on its own, which trains its teacher
        Path loader = arms.stream().filter(a -> !trainers.contains(a)).findFirst().orElseThrow();
        String weight = Files.readString(loader.resolve("config.yaml")).contains("weight: 0.1") ? "0.1"
                : Files.readString(loader.resolve("config.yaml")).contains("weight: 0.3") ? "0.3" : "0.5";
        // with the one thread each of two arms on two cores gets: sums over threads round differently
        DistributionRunner.Result alone = spikeforge.run(workDir, Map.of("OMP_NUM_THREADS", "1", "JAVA_OPTS",
                "-XX:ActiveProcessorCount=1"), "run", experiment(), "distillation.weight=" + weight,
                "teacher.training.epochs=2", "outputs.dir=alone");
        assertEquals(ExitCodes.OK, alone.exitCode(), alone::toString);
        Path aloneFolder = list(workDir.resolve("alone")).get(0);
        assertEquals(studentRows(aloneFolder), studentRows(loader));
        assertArrayEquals(Files.readAllBytes(aloneFolder.resolve("student.safetensors")),
                Files.readAllBytes(loader.resolve("student.safetensors")));

        // MLflow: the sweep is a parent run, each arm a child run with its overrides
        Path experimentStore = list(workDir.resolve("mlruns")).stream()
                .filter(p -> !p.getFileName().toString().equals("0") && Files.isDirectory(p)
                        && !p.getFileName().toString().startsWith("."))
                .findFirst().orElseThrow();
        List<Path> runs = list(experimentStore).stream().filter(Files::isDirectory).toList();
        assertEquals(4, runs.size(), runs::toString);
        List<Path> parents = runs.stream().filter(r -> Files.exists(r.resolve("tags/spikeforge.sweep_folder"))).toList();
        assertEquals(1, parents.size());
        Path parent = parents.get(0);
        String parentId = parent.getFileName().toString();
        assertEquals(dir.toRealPath().toString(), Files.readString(parent.resolve("tags/spikeforge.sweep_folder")));
        assertEquals("3", Files.readString(parent.resolve("params/sweep.arms")));
        assertTrue(Files.readString(parent.resolve("meta.yaml")).contains("status: 3"), "the parent finished");
        List<String> weights = new ArrayList<>();
        for (Path child : runs) {
            if (child.equals(parent)) {
                continue;
            }
            assertEquals(parentId, Files.readString(child.resolve("tags/mlflow.parentRunId")));
            assertTrue(Files.readString(child.resolve("tags/sweep.arm_name")).startsWith("distillation.weight="));
            assertEquals(Files.readString(child.resolve("params/override.distillation.weight")),
                    Files.readString(child.resolve("tags/override.distillation.weight")));
            weights.add(Files.readString(child.resolve("params/override.distillation.weight")));
            assertTrue(Files.readString(child.resolve("tags/sweep.shared_model")).startsWith("teacher-"));
        }
        weights.sort(String::compareTo);
        assertEquals(List.of("0.1", "0.3", "0.5"), weights);
    }

    @Test
    void aStoppedSweepResumesItsInterruptedArmAndSkipsTheFinishedOne() throws Exception {
        Process process = spikeforge.start(workDir, "sweep", experiment(), "seed=1,2", "training.epochs=40",
                "--dir", "sweep");
        Path dir = workDir.resolve("sweep");
        Path second = dir.resolve("arms/001-seed=2");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SWEEP_TIMEOUT_SECONDS);
        while (!Files.exists(second.resolve("checkpoints/student-last.safetensors"))) {
            assertTrue(process.isAlive(), "the sweep ended before its second arm trained its student");
            assertTrue(System.nanoTime() < deadline, "no student checkpoint of the second arm in time");
            Thread.sleep(200);
        }
        // a stop request: the sweep stops its arms, which stop after their step and keep their
        // checkpoints. SIGTERM, which takes Ctrl-C's path (the JVM's shutdown hooks): SIGINT itself is
        // ignored by a JVM whose parent ignored it, as a shell does for the jobs it starts with &,
        // which is how a CI runner may have started this build
        Process interrupt = new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start();
        assertEquals(0, interrupt.waitFor());
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        // a JVM that ends on a signal exits with 128 + the signal's number: 143 for SIGTERM (130 for Ctrl-C)
        assertEquals(128 + 15, process.exitValue());
        assertEquals("finished", Files.readAllLines(dir.resolve("arms/000-seed=1/status")).get(0));
        assertEquals("interrupted", Files.readAllLines(second.resolve("status")).get(0));
        assertTrue(Files.readString(dir.resolve("index.tsv")).contains("1\tseed=2\tinterrupted\t"));
        byte[] firstStudent = Files.readAllBytes(dir.resolve("arms/000-seed=1/student.safetensors"));

        DistributionRunner.Result resumed = spikeforge.runFor(SWEEP_TIMEOUT_SECONDS, workDir, "sweep", "--resume",
                "sweep");
        assertEquals(ExitCodes.OK, resumed.exitCode(), resumed::toString);
        assertTrue(resumed.err().contains("1 arm(s) finished already; running 1"), resumed::toString);
        assertTrue(resumed.out().contains("finished 2 of 2"), resumed::toString);
        String log = Files.readString(dir.resolve("local/001-seed=2.log"));
        assertTrue(log.contains("resuming: student after epoch "), log);
        assertArrayEquals(firstStudent, Files.readAllBytes(dir.resolve("arms/000-seed=1/student.safetensors")),
                "the finished arm was left alone");
        assertEquals(40, studentRows(second).stream().filter(row -> !row.get(1).equals("0")).count());

        DistributionRunner.Result again = spikeforge.run(workDir, Map.of(), "sweep", "arm", "sweep", "0");
        assertEquals(ExitCodes.OK, again.exitCode(), again::toString);
        assertTrue(again.out().contains("finished already"), again::toString);
    }

    @Test
    void everyShippedStudyIsValidAndADryRunWritesNothing() throws Exception {
        Path studies = Path.of("../../experiments/studies").toAbsolutePath().normalize();
        List<Path> files = list(studies).stream().filter(p -> p.toString().endsWith(".yaml")).toList();
        assertEquals(4, files.size(), files::toString);
        for (Path file : files) {
            DistributionRunner.Result r = spikeforge.run(workDir, Map.of(), "sweep", "--dry-run", file.toString());
            assertEquals(ExitCodes.OK, r.exitCode(), () -> file + ":\n" + r);
            assertTrue(r.out().contains(" arm(s) of "), r::toString);
        }
        DistributionRunner.Result ablation = spikeforge.run(workDir, Map.of(), "sweep", "--dry-run",
                studies.resolve("idsnn-ablation-fashion-mnist.yaml").toString());
        assertTrue(ablation.out().contains("arm   0  baseline,seed=1\n         initialization=none distillation=none "
                + "experiment.seed=1\n"), ablation::toString);
        assertTrue(ablation.out().contains("12 arm(s) of idsnn-ablation-fashion-mnist, launcher local: valid"),
                ablation::toString);

        DistributionRunner.Result bad = spikeforge.run(workDir, Map.of(), "sweep", experiment(),
                "distillation.weight=0.5,-1", "--dry-run");
        assertEquals(ExitCodes.INVALID_EXPERIMENT, bad.exitCode(), bad::toString);
        assertTrue(bad.err().contains("command-line override 'distillation.weight=0.5,-1' (argument 1): "
                + "distillation.weight: "), bad::toString);
        assertTrue(bad.err().contains("(in arm 1 'distillation.weight=-1')"), bad::toString);
        assertEquals(List.of(), list(workDir).stream().filter(p -> !p.getFileName().toString().equals("data"))
                .toList(), "nothing is written");
    }

    private static List<Path> list(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.sorted().toList();
        }
    }

    private static List<List<String>> teacherRows(Path run) throws IOException {
        return rows(run, "teacher");
    }

    /** The student's rows of metrics.csv up to the test accuracy (the times differ from run to run). */
    private static List<List<String>> studentRows(Path run) throws IOException {
        return rows(run, "student");
    }

    private static List<List<String>> rows(Path run, String model) throws IOException {
        return Files.readAllLines(run.resolve("metrics.csv")).stream().skip(1)
                .map(line -> Arrays.asList(line.split(",")).subList(0, 7))
                .filter(row -> row.get(0).equals(model)).toList();
    }
}
