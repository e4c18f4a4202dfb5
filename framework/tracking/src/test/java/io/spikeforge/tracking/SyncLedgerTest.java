package io.spikeforge.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's ledgers: one per server, and robust to a line cut short. */
class SyncLedgerTest {
    @TempDir
    Path run;

    @Test
    void aLineCutShortIsIgnoredAndTheNextAppendStartsOnALineOfItsOwn() throws Exception {
        SyncLedger ledger = SyncLedger.loadAll(run).get(0);
        ledger.recordServer(new SyncLedger.ServerRun("http://a:5000", "1", "f".repeat(32), "mlflow-artifacts:/1/x"));
        ledger.record(List.of(), Map.of(), Map.of("loss", 120L));
        Files.writeString(run.resolve(SyncLedger.FILE_NAME), "metric\tacc", StandardOpenOption.APPEND);

        SyncLedger reread = SyncLedger.loadAll(run).get(0);
        reread.recordStatus(RunStatus.FINISHED);
        reread.record(List.of("lr"), Map.of(), Map.of());

        SyncLedger last = SyncLedger.loadAll(run).get(0);
        assertEquals(Optional.of(RunStatus.FINISHED), last.status());
        assertEquals(120L, last.metricOffset("loss"));
        assertEquals(0L, last.metricOffset("acc"));
        assertTrue(last.hasParam("lr"));
    }

    @Test
    void eachFurtherServerGetsALedgerOfItsOwn() throws Exception {
        SyncLedger first = SyncLedger.loadAll(run).get(0);
        first.recordServer(new SyncLedger.ServerRun("http://a:5000", "1", "a".repeat(32), "mlflow-artifacts:/1/a"));
        SyncLedger second = SyncLedger.next(run);
        second.recordServer(new SyncLedger.ServerRun("http://b:5000", "4", "b".repeat(32), "mlflow-artifacts:/4/b"));
        second.recordStatus(RunStatus.FINISHED);

        List<SyncLedger> ledgers = SyncLedger.loadAll(run);
        assertEquals(List.of("http://a:5000", "http://b:5000"),
                ledgers.stream().map(l -> l.server().orElseThrow().trackingUri()).toList());
        assertEquals(Optional.empty(), ledgers.get(0).status());
        assertEquals(Optional.of(RunStatus.FINISHED), ledgers.get(1).status());
        assertTrue(Files.exists(run.resolve("spikeforge-sync-2.tsv")));
    }
}
