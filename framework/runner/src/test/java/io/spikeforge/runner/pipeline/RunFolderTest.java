package io.spikeforge.runner.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spikeforge.common.IoErrors;
import io.spikeforge.tracking.RunStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFolderTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void aRunFolderHoldsItsConfigAndStatusAndSaysWhatItLacksOtherwise() throws IOException {
        RunFolder folder = RunFolder.create(dir, "tiny", CLOCK);
        Path path = folder.path();
        assertEquals(dir.resolve("tiny-20260102-030405"), path);
        assertEquals(Optional.of("not a run folder (it has no config.yaml)"), RunFolder.whyNotARunFolder(path));

        folder.write(RunFolder.CONFIG, "experiment: {}\n");
        assertEquals(Optional.of("not a run folder (it has no status)"), RunFolder.whyNotARunFolder(path));
        NoSuchFileException refused = assertThrows(NoSuchFileException.class, () -> RunFolder.open(path));
        assertEquals(path + ": not a run folder (it has no status)", IoErrors.message(refused));

        folder.writeStatus(RunStatus.INTERRUPTED, null);
        assertEquals(Optional.empty(), RunFolder.whyNotARunFolder(path));
        assertEquals("interrupted", RunFolder.open(path).readStatusWord());
        assertEquals(Optional.of("no such run folder"), RunFolder.whyNotARunFolder(dir.resolve("missing")));
    }

    @Test
    void aSecondRunInTheSameSecondGetsTheNextSuffix() throws IOException {
        RunFolder.create(dir, "tiny", CLOCK);

        assertEquals(dir.resolve("tiny-20260102-030405-2"), RunFolder.create(dir, "tiny", CLOCK).path());
        assertEquals(dir.resolve("tiny-20260102-030405-3"), RunFolder.create(dir, "tiny", CLOCK).path());
    }

    @Test
    void theStatusFileHoldsTheWordThenTheError() throws IOException {
        RunFolder folder = RunFolder.create(dir, "tiny", CLOCK);

        folder.writeStatus(RunStatus.FAILED, "teacher.model: no such model");

        assertEquals("failed\nteacher.model: no such model\n", Files.readString(folder.file(RunFolder.STATUS)));
        assertEquals(RunStatus.FAILED, RunStatus.ofWord(folder.readStatusWord()));
    }
}
