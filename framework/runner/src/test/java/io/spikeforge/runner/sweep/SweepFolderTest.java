package io.spikeforge.runner.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepFolderTest {
    @TempDir
    Path dir;

    @Test
    void theIndexReadsBackWhatWasWrittenWithOverridesInOrder() throws IOException {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("student.initialization", "none");
        overrides.put("training.lr", "0.1");
        overrides.put("experiment.seed", "2");
        Arm first = new Arm(0, "baseline,seed=2", overrides);
        Arm second = new Arm(1, "idsnn", Map.of());
        SweepFolder sweep = SweepFolder.at(dir.resolve("sweep"));
        sweep.writeIndex(List.of(new SweepFolder.IndexRow(first, ArmState.FINISHED),
                new SweepFolder.IndexRow(second, ArmState.QUEUED)));

        List<SweepFolder.IndexRow> rows = sweep.readIndex();
        assertEquals(List.of(new SweepFolder.IndexRow(first, ArmState.FINISHED),
                new SweepFolder.IndexRow(second, ArmState.QUEUED)), rows);
        assertEquals(List.of("student.initialization=none", "training.lr=0.1", "experiment.seed=2"),
                rows.get(0).arm().overrideArguments());
        assertEquals(dir.resolve("sweep/arms/000-baseline_seed=2"), sweep.armFolder(first));
        assertEquals("arm\tname\tstate\tfolder\toverrides\n"
                + "0\tbaseline,seed=2\tfinished\tarms/000-baseline_seed=2\tstudent.initialization=none\ttraining.lr=0.1"
                + "\texperiment.seed=2\n1\tidsnn\tqueued\tarms/001-idsnn\n", Files.readString(sweep.indexFile()));
    }

    @Test
    void aBrokenIndexIsNamedWithItsLineAndWhatWasExpected() throws IOException {
        SweepFolder sweep = SweepFolder.at(dir);
        Files.writeString(sweep.indexFile(), "arm\tname\tstate\tfolder\toverrides\n0\ta\tdone\tarms/000-a\n");
        IOException state = assertThrows(IOException.class, sweep::readIndex);
        assertEquals(sweep.indexFile() + ":2: expected a state (pending, queued, running, finished, failed, "
                + "interrupted, cancelled, unsubmitted), got 'done'", state.getMessage());

        Files.writeString(sweep.indexFile(), "arm\tname\tstate\tfolder\toverrides\n1\ta\tpending\tarms/001-a\n");
        assertEquals(sweep.indexFile() + ":2: expected arm 0, got 1",
                assertThrows(IOException.class, sweep::readIndex).getMessage());

        Files.writeString(sweep.indexFile(), "arm\tname\tstate\tfolder\toverrides\n0\ta\tpending\tarms/000-a\tlr\n");
        assertEquals(sweep.indexFile() + ":2: expected an override key=value, got 'lr'",
                assertThrows(IOException.class, sweep::readIndex).getMessage());

        Files.writeString(sweep.indexFile(), "something else\n");
        assertTrue(assertThrows(IOException.class, sweep::readIndex).getMessage()
                .startsWith(sweep.indexFile() + ":1: expected the header"));
    }

    @Test
    void namesAndOverridesWithTabsAreRefusedBeforeAnythingIsWritten() {
        SweepFolder sweep = SweepFolder.at(dir);
        Arm arm = new Arm(0, "a", Map.of("experiment.description", "two\twords"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sweep.writeIndex(List.of(new SweepFolder.IndexRow(arm, ArmState.PENDING))));
        assertTrue(e.getMessage().startsWith("arm 0: a name or override cannot hold a tab"), e.getMessage());
        assertTrue(Files.notExists(sweep.indexFile()));
    }

    @Test
    void aSweepFolderIsAFolderWithASweepFile() throws IOException {
        assertEquals(Optional.of("no such folder"), SweepFolder.whyNotASweepFolder(dir.resolve("none")));
        assertEquals(Optional.of("not a sweep folder: it has no sweep.yaml"), SweepFolder.whyNotASweepFolder(dir));
        Files.writeString(dir.resolve(SweepFolder.SWEEP_FILE), "kind: sweep\n");
        assertEquals(Optional.empty(), SweepFolder.whyNotASweepFolder(dir));
    }

    @Test
    void armFolderNamesSortInArmOrderAndStayShort() {
        assertEquals("012-lr=0.1_decay=20", new Arm(12, "lr=0.1 decay=20", Map.of()).folderName());
        assertEquals(84, new Arm(3, "x".repeat(200), Map.of()).folderName().length());
        assertThrows(IllegalArgumentException.class, () -> new Arm(-1, "a", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new Arm(0, " ", Map.of()));
    }

    @Test
    void statesHaveWordsAndSayWhetherTheArmNeedsToRun() {
        for (ArmState state : ArmState.values()) {
            assertEquals(Optional.of(state), ArmState.ofWord(state.word()));
        }
        assertEquals(List.of(ArmState.FINISHED), java.util.Arrays.stream(ArmState.values())
                .filter(s -> !s.needsRun()).toList());
        assertEquals(List.of(ArmState.FAILED, ArmState.INTERRUPTED, ArmState.CANCELLED, ArmState.UNSUBMITTED),
                java.util.Arrays.stream(
                ArmState.values()).filter(ArmState::endedUnfinished).toList());
    }
}
