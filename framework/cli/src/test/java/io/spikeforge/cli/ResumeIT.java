package io.spikeforge.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed with SIGKILL in the middle of the student's training and continued with
 * {@code spikeforge run --resume RUN_DIR} ends with the numbers of the same run uninterrupted.
 */
class ResumeIT {
    /** Many short student epochs, so that the kill lands in the middle of the student's training. */
    private static final String[] SETTINGS = {"teacher.training.epochs=2", "training.epochs=16",
        "training.schedule.name=cosine"};

    @TempDir
    Path workDir;

    private final DistributionRunner spikeforge = new DistributionRunner();

    private String experiment() throws Exception {
        return Path.of(ResumeIT.class.getResource("/experiments/tiny-run.yaml").toURI()).toString();
    }

    private DistributionRunner.Result run(String... args) throws Exception {
        return spikeforge.run(workDir, Map.of(), args);
    }

    private String[] runArgs(String outputs, String... more) throws Exception {
        return Stream.of(Stream.of("run", experiment()), Stream.of(SETTINGS), Stream.of("outputs.dir=" + outputs),
                Stream.of(more)).flatMap(s -> s).toArray(String[]::new);
    }

    private static Path folderOf(DistributionRunner.Result r) {
        Matcher folder = Pattern.compile("(?m)^run      (\\S+)$").matcher(r.out());
        assertTrue(folder.find(), r::toString);
        return Path.of(folder.group(1));
    }

    @Test
    void aKilledRunResumesToTheNumbersOfAnUninterruptedOne() throws Exception {
        DistributionRunner.Result full = run(runArgs("full"));
        assertEquals(ExitCodes.OK, full.exitCode(), full::toString);
        Path fullFolder = workDir.resolve(folderOf(full));

        Process process = spikeforge.start(workDir, runArgs("killed"));
        Path killedFolder = waitForStudentCheckpoint(workDir.resolve("killed"), process);
        assertTrue(process.isAlive(), "the run is still training when it is killed");
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals("running", Files.readAllLines(killedFolder.resolve("status")).get(0),
                "a killed run has no chance to write its status");

        DistributionRunner.Result other = run("run", "--resume", killedFolder.toString(), experiment(),
                "training.epochs=5");
        assertEquals(ExitCodes.INVALID_EXPERIMENT, other.exitCode(), other::toString);
        assertTrue(other.err().contains("training.epochs: the run has 16, " + experiment() + " gives 5"),
                other::toString);

        DistributionRunner.Result resumed = run("run", "--resume", killedFolder.toString());
        assertEquals(ExitCodes.OK, resumed.exitCode(), resumed::toString);
        assertTrue(resumed.out().startsWith("status   finished\n"), resumed::toString);
        assertTrue(resumed.err().contains("resuming: student after epoch "), resumed::toString);
        assertEquals(accuracies(full), accuracies(resumed));
        assertEquals(withoutSeconds(fullFolder), withoutSeconds(killedFolder));
        assertArrayEquals(Files.readAllBytes(fullFolder.resolve("student.safetensors")),
                Files.readAllBytes(killedFolder.resolve("student.safetensors")));

        DistributionRunner.Result notARun = run("run", "--resume", workDir.toString());
        assertEquals(ExitCodes.RUN_FAILED, notARun.exitCode(), notARun::toString);
        assertTrue(notARun.err().contains("not a run folder (it has no config.yaml)"), notARun::toString);

        DistributionRunner.Result again = run("run", "--resume", killedFolder.toString());
        assertEquals(ExitCodes.RUN_FAILED, again.exitCode(), again::toString);
        assertTrue(again.err().contains("the run finished already"), again::toString);
    }

    /** Waits until the run folder under {@code outputs} holds the student's first checkpoint. */
    private static Path waitForStudentCheckpoint(Path outputs, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (Files.isDirectory(outputs)) {
                try (Stream<Path> folders = Files.list(outputs)) {
                    List<Path> found = folders.filter(f -> Files.exists(f.resolve(
                            "checkpoints/student-last.safetensors"))).toList();
                    if (!found.isEmpty()) {
                        return found.get(0);
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no student checkpoint appeared under " + outputs + " (process alive: "
                + process.isAlive() + ")");
    }

    private static List<String> accuracies(DistributionRunner.Result r) {
        return r.out().lines().filter(line -> line.startsWith("teacher  ") || line.startsWith("student  ")).toList();
    }

    /** The metrics without the wall-clock column. */
    private static List<String> withoutSeconds(Path folder) throws Exception {
        return Files.readAllLines(folder.resolve("metrics.csv")).stream()
                .map(row -> row.replaceAll(",[^,]*(,[^,]*)$", ",$1")).toList();
    }
}
