package io.spikeforge.engine.data;

import io.spikeforge.common.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
        try {
            ChildJvm.killOnceCreated(ChildJvm.command(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"),
                    SyntheticGenerationProcess.class, folder.toString(), halfway.toString(),
                    Integer.toString(spec.classCount()), Integer.toString(spec.trainCount()),
                    Integer.toString(spec.testCount()), Long.toString(spec.seed())),
                    halfway, Duration.ofSeconds(WAIT_SECONDS));
        } finally {
            Files.deleteIfExists(halfway);
        }
    }
}
