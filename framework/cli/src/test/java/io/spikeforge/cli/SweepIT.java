package io.spikeforge.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.tracking.FakeMlflowServer;
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
        Path experimentStore = experimentStore();
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
    void convertArmsThatDifferOnlyInTheirConversionShareOneTrainedAnn() throws Exception {
        String convert = Path.of(SweepIT.class.getResource("/experiments/tiny-convert.yaml").toURI()).toString();
        DistributionRunner.Result sweep = spikeforge.runFor(SWEEP_TIMEOUT_SECONDS, workDir, "sweep", convert,
                "conversion.thresholds.id=max,percentile", "tracking.enabled=true", "--dir", "sweep");
        assertEquals(ExitCodes.OK, sweep.exitCode(), sweep::toString);
        assertTrue(sweep.out().contains("finished 2 of 2"), sweep::toString);
        Path dir = workDir.resolve("sweep");
        Path trainer = dir.resolve("arms/000-conversion.thresholds.id=max");
        Path loader = dir.resolve("arms/001-conversion.thresholds.id=percentile");

        // one ANN, its hash blind to the conversion settings, trained by the first arm
        List<Path> shared = list(dir.resolve("shared")).stream().filter(Files::isDirectory).toList();
        assertEquals(1, shared.size(), shared::toString);
        String id = shared.get(0).getFileName().toString();
        assertTrue(id.startsWith("ann-"), id);
        String inputs = Files.readString(shared.get(0).resolve("inputs.txt"));
        assertTrue(inputs.contains("model.widths: [4, 8, 8]\n") && inputs.contains("training.epochs: 1\n"), inputs);
        assertFalse(inputs.contains("conversion."), inputs);
        String origin = "arm 0 'conversion.thresholds.id=max' (arms/000-conversion.thresholds.id=max)";
        assertEquals(origin + "\n", Files.readString(shared.get(0).resolve("origin.txt")));
        Path weights = shared.get(0).resolve("ann.safetensors");
        assertArrayEquals(Files.readAllBytes(trainer.resolve("ann.safetensors")), Files.readAllBytes(weights));

        assertEquals("model: " + id + "\nrole: ann\nweights: " + weights + "\nhow: trained in this run and published\n",
                Files.readString(trainer.resolve("shared-model.txt")));
        assertEquals("model: " + id + "\nrole: ann\nweights: " + weights + "\nhow: loaded, trained by " + origin + "\n",
                Files.readString(loader.resolve("shared-model.txt")));
        assertEquals(1, rows(trainer, "ann").stream().filter(row -> !row.get(1).equals("0")).count());
        // the second arm loads the ANN (weights: the shared file) and evaluates it: epoch 0 only, the trained ANN's accuracy
        assertEquals(List.of("0"), rows(loader, "ann").stream().map(row -> row.get(1)).toList());
        assertEquals(rows(trainer, "ann").get(0).get(6), rows(loader, "ann").get(0).get(6));
        assertTrue(Files.readString(loader.resolve("config.yaml")).contains("weights: " + weights + "\n"));
        assertTrue(Files.readString(loader.resolve("config.yaml")).contains("id: percentile"));
        assertArrayEquals(Files.readAllBytes(weights), Files.readAllBytes(loader.resolve("ann.safetensors")));

        // MLflow: each child says which model it used and which arm trained it
        List<Path> children = list(experimentStore()).stream()
                .filter(run -> Files.exists(run.resolve("tags/mlflow.parentRunId"))).toList();
        assertEquals(2, children.size(), children::toString);
        for (Path child : children) {
            assertEquals(id, Files.readString(child.resolve("tags/sweep.shared_model")));
            assertEquals(origin, Files.readString(child.resolve("tags/sweep.shared_model_trained_by")));
        }
    }

    @Test
    void aStoppedSweepResumesItsInterruptedArmAndSkipsTheFinishedOne() throws Exception {
        Process process = spikeforge.start(workDir, "sweep", experiment(), "seed=1,2", "training.epochs=40",
                "tracking.enabled=true", "--dir", "sweep");
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
        assertEquals("interrupted", Files.readAllLines(second.resolve("status")).get(0),
                () -> stoppedArm(second, dir.resolve("local/001-seed=2.log")));
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

        // MLflow: the resumed sweep kept its parent, which holds every arm's runs and finished
        List<Path> runs = list(experimentStore()).stream().filter(Files::isDirectory).toList();
        List<Path> parents = runs.stream().filter(r -> Files.exists(r.resolve("tags/spikeforge.sweep_folder"))).toList();
        assertEquals(1, parents.size(), runs::toString);
        Path parent = parents.get(0);
        assertTrue(Files.readString(parent.resolve("meta.yaml")).contains("status: 3"), "the parent finished");
        assertFalse(Files.exists(parent.resolve("tags/spikeforge.resumed_from")));
        List<String> children = new ArrayList<>();
        for (Path child : runs) {
            if (!child.equals(parent)) {
                assertEquals(parent.getFileName().toString(), Files.readString(child.resolve("tags/mlflow.parentRunId")));
                children.add(Files.readString(child.resolve("tags/sweep.arm_name")));
            }
        }
        children.sort(String::compareTo);
        // the interrupted arm's resumed run is a second child, resumed from its first
        assertEquals(List.of("seed=1", "seed=2", "seed=2"), children);
    }

    @Test
    void aSweepTrackedToAServerIsOneParentWithItsChildrenAlsoWhenResumedWhileTheServerIsDown() throws Exception {
        Files.copy(Path.of(experiment()), workDir.resolve("tiny-run.yaml"));
        // "broken" loads its teacher from a file that does not exist yet: it fails when it runs
        Files.writeString(workDir.resolve("study.yaml"), """
                kind: study
                name: live
                experiment: tiny-run.yaml
                overrides:
                  tracking.enabled: true
                arms:
                  ok: {distillation.weight: 0.3}
                  broken: {teacher.weights: teacher.safetensors}
                """);
        try (FakeMlflowServer server = FakeMlflowServer.start()) {
            Map<String, String> toServer = Map.of("MLFLOW_TRACKING_URI", server.uri().toString());
            DistributionRunner.Result sweep = spikeforge.runFor(SWEEP_TIMEOUT_SECONDS, workDir, toServer, "sweep",
                    "study.yaml", "--dir", "sweep");
            assertEquals(ExitCodes.RUN_FAILED, sweep.exitCode(), sweep::toString);
            FakeMlflowServer.Run parent = sweepParent(server);
            assertEquals("FAILED", parent.status(), "an arm failed");
            assertEquals("2", parent.params().get("sweep.arms"));
            assertEquals(workDir.resolve("sweep").toString(), parent.tags().get("spikeforge.sweep_folder"));
            List<FakeMlflowServer.Run> children = childrenOf(server, parent);
            assertEquals(1, children.size(), "the broken arm failed before its run started");
            FakeMlflowServer.Run ok = children.get(0);
            assertEquals("FINISHED", ok.status());
            assertEquals("ok", ok.tags().get("sweep.arm_name"));
            assertEquals("0.3", ok.params().get("override.distillation.weight"));
            assertEquals("0.3", ok.tags().get("override.distillation.weight"));
            assertEquals("true", ok.params().get("override.tracking.enabled"));

            // the cause fixed, resumed while the server is down: the parent is reopened and ended in
            // the spool, and reaches the server with the next sync
            Path trained;
            try (Stream<Path> files = Files.walk(workDir.resolve("sweep/shared"))) {
                trained = files.filter(file -> file.getFileName().toString().equals("teacher.safetensors")).findFirst()
                        .orElseThrow();
            }
            Files.copy(trained, workDir.resolve("teacher.safetensors"));
            server.stop();
            DistributionRunner.Result resumed = spikeforge.runFor(SWEEP_TIMEOUT_SECONDS, workDir, toServer, "sweep",
                    "--resume", "sweep");
            assertEquals(ExitCodes.OK, resumed.exitCode(), resumed::toString);
            assertTrue(resumed.err().contains("spikeforge mlflow sync --spool "), resumed::toString);
            server.restart();
            assertEquals("FAILED", sweepParent(server).status(), "nothing reached the server yet");
            DistributionRunner.Result sync = spikeforge.run(workDir, toServer, "mlflow", "sync");
            assertEquals(ExitCodes.OK, sync.exitCode(), sync::toString);

            parent = sweepParent(server);
            assertEquals("FINISHED", parent.status());
            assertFalse(parent.tags().containsKey("spikeforge.resumed_from"));
            children = childrenOf(server, parent);
            assertEquals(List.of("broken", "ok"), children.stream().map(run -> run.tags().get("sweep.arm_name"))
                    .sorted().toList());
            FakeMlflowServer.Run broken = children.stream().filter(run -> run.tags().get("sweep.arm_name")
                    .equals("broken")).findFirst().orElseThrow();
            assertEquals("FINISHED", broken.status());
            assertEquals("teacher.safetensors", broken.params().get("override.teacher.weights"));
            assertEquals(3, server.runs().size(), () -> server.runs().toString());
        }
    }

    /** The server's one parent run of a sweep. */
    private static FakeMlflowServer.Run sweepParent(FakeMlflowServer server) {
        List<FakeMlflowServer.Run> parents = server.runs().stream()
                .filter(run -> run.tags().containsKey("spikeforge.sweep_folder")).toList();
        assertEquals(1, parents.size(), parents::toString);
        return parents.get(0);
    }

    private static List<FakeMlflowServer.Run> childrenOf(FakeMlflowServer server, FakeMlflowServer.Run parent) {
        return server.runs().stream().filter(run -> parent.id().equals(run.tags().get("mlflow.parentRunId")))
                .toList();
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

    /** The one MLflow experiment of the working directory's store but the default one. */
    private Path experimentStore() throws IOException {
        return list(workDir.resolve("mlruns")).stream()
                .filter(p -> !p.getFileName().toString().equals("0") && Files.isDirectory(p)
                        && !p.getFileName().toString().startsWith("."))
                .findFirst().orElseThrow();
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

    /** What a stopped arm left: its status file and the end of its log, for a failed assertion. */
    private static String stoppedArm(Path arm, Path log) {
        try {
            String status = Files.readString(arm.resolve("status"));
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            return "status:\n" + status + "\nlog (last 40 lines):\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "cannot read the arm's files: " + e;
        }
    }
}
