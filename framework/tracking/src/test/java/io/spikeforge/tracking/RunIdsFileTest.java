package io.spikeforge.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run folder's list of MLflow runs: labelled lines, the server's copies joined to their spool runs. */
class RunIdsFileTest {
    @TempDir
    Path folder;

    @Test
    void labelledLinesAndALineOfAnOlderSpikeforgeReadAsRuns() throws Exception {
        Path spool = folder.resolve("mlruns-spool");
        Files.writeString(folder.resolve(RunIdsFile.FILE_NAME), "0123456789abcdef0123456789abcdef\n");
        RunIdsFile.recordStart(folder, "a".repeat(32), folder.resolve("mlruns"), Optional.empty());
        RunIdsFile.recordStart(folder, "b".repeat(32), spool, Optional.of("http://host:5000"));
        RunIdsFile.recordServerRun(folder, "b".repeat(32), "http://host:5000", "c".repeat(32));
        RunIdsFile.recordServerRun(folder, "d".repeat(32), "http://host:5000", "e".repeat(32));

        assertEquals(List.of(
                new RunIdsFile.Entry("0123456789abcdef0123456789abcdef", Optional.empty(), Optional.empty(),
                        Optional.empty()),
                new RunIdsFile.Entry("a".repeat(32), Optional.of(folder.resolve("mlruns")), Optional.empty(),
                        Optional.empty()),
                new RunIdsFile.Entry("b".repeat(32), Optional.of(spool), Optional.of("http://host:5000"),
                        Optional.of("c".repeat(32)))),
                RunIdsFile.read(folder));
        assertEquals("spool_run_id=" + "b".repeat(32) + "\tspool=" + spool + "\tserver=http://host:5000",
                Files.readAllLines(folder.resolve(RunIdsFile.FILE_NAME)).get(2));
        assertEquals(4, Files.readAllLines(folder.resolve(RunIdsFile.FILE_NAME)).size(),
                "a server run of a spool run the folder does not list is not written");
    }
}
