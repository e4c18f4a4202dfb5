package io.spikeforge.runner.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spikeforge.engine.train.StepResult;
import io.spikeforge.runner.config.DistillExperiment;
import io.spikeforge.testkit.SlowTest;
import io.spikeforge.tracking.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes the fixture of {@link RecordedRunFolderTest}: the tiny experiment run by this version's
 * pipeline and stopped at the start of the student's second epoch, its run folder copied to the
 * folder given as {@code -Dspikeforge.fixture.dir}. Not a test: it runs only when that property is
 * set (see {@code src/test/resources/format/README.md}).
 */
@SlowTest
class RecordedRunFolderWriter {
    static final Clock NEW_YEAR = Clock.fixed(Instant.parse("2024-01-02T03:04:05Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    @EnabledIfSystemProperty(named = "spikeforge.fixture.dir", matches = ".+")
    void writeTheFixture() throws Exception {
        Path out = Files.createDirectories(Path.of(System.getProperty("spikeforge.fixture.dir")));
        DistillExperiment experiment = TinyExperiments.load(dir, dir.resolve("data"));
        AtomicBoolean stop = new AtomicBoolean();
        RunListener stopper = new RunListener() {
            @Override
            public void onStep(StepResult step) {
                if (step.model().equals("student") && step.epoch() == 1) {
                    stop.set(true);
                }
            }
        };
        RunResult stopped = ExperimentPipeline.builder(experiment).clock(NEW_YEAR).listener(stopper)
                .stopWhen(stop::get).build().run();
        assertEquals(RunStatus.INTERRUPTED, stopped.status(), () -> stopped.error().orElse(""));
        Path folder = stopped.folder();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = out.resolve(folder.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        // the data set and runs folders as placeholders, like the 0.1.0 fixture
        Path config = out.resolve("config.yaml");
        Files.writeString(config, Files.readString(config).replace(dir.resolve("data").toString(), "DATA")
                .replace(dir.resolve("runs").toString(), "RUNS"));
    }
}
