package io.spikeforge.runner.pipeline;

import io.spikeforge.common.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A run of the tiny experiment in a second JVM that generates its synthetic set on first use and
 * stops in the middle of it, for the test that kills it there: after the first chunk of images it
 * creates the file {@code halfway} and waits.
 */
public final class HaltedGenerationProcess {
    private HaltedGenerationProcess() {
    }

    /** Arguments: the experiment's folder, its data set folder, the file to create halfway. */
    public static void main(String[] args) throws Exception {
        Path halfway = Path.of(args[2]);
        ExperimentPipeline.builder(TinyExperiments.load(Path.of(args[0]), Path.of(args[1])))
                .generationProgress((done, total) -> {
                    try {
                        Files.createFile(halfway);
                        Thread.sleep(TimeUnit.MINUTES.toMillis(2));
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }).build().run();
    }

    /** Starts the run, waits until its generation is halfway and kills it (SIGKILL). */
    static void killHalfway(Path folder, Path data) throws Exception {
        Path halfway = folder.resolve("halfway");
        ChildJvm.killOnceCreated(ChildJvm.command(List.of("-Xmx512m"), HaltedGenerationProcess.class,
                folder.toString(), data.toString(), halfway.toString()), halfway, Duration.ofMinutes(2));
    }
}
