package io.spikeforge.engine.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM that generates a synthetic set and stops in the middle, its files open, for tests
 * that kill it there: after the first chunk of images it creates the file {@code halfway} and waits.
 */
public final class SyntheticGenerationProcess {
    private static final long WAIT_SECONDS = 120;

    private SyntheticGenerationProcess() {
    }

    /** Arguments: the set's folder, the file to create halfway, classes, training and test images, seed. */
    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[0]);
        Path halfway = Path.of(args[1]);
        SyntheticSpec spec = new SyntheticSpec(Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                Integer.parseInt(args[4]), Long.parseLong(args[5]));
        SyntheticImageSets.generate(spec, folder, (done, total) -> {
            try {
                Files.createFile(halfway);
                Thread.sleep(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Starts the process, waits until it is halfway and kills it (SIGKILL). */
    static void killHalfway(Path folder, SyntheticSpec spec) throws Exception {
        Path halfway = Files.createTempFile("halfway", "");
        Files.delete(halfway);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), SyntheticGenerationProcess.class.getName(),
                folder.toString(), halfway.toString(), Integer.toString(spec.classCount()),
                Integer.toString(spec.trainCount()), Integer.toString(spec.testCount()), Long.toString(spec.seed()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (!Files.exists(halfway)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("the generation did not get halfway (exit "
                            + (process.isAlive() ? "none, still running" : process.exitValue()) + ")");
                }
                Thread.sleep(5);
            }
        } finally {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            Files.deleteIfExists(halfway);
        }
    }
}
