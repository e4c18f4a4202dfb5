package io.spikeforge.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mlflow.api.proto.Service;

class RunStatusTest {
    @ParameterizedTest
    @CsvSource({"RUNNING, running, RUNNING, 1", "FINISHED, finished, FINISHED, 3", "INTERRUPTED, interrupted, KILLED, 5",
            "FAILED, failed, FAILED, 4"})
    void oneStatusHasItsStatusFileWordAndMlflowsNameAndCode(RunStatus status, String word, String mlflowName,
                                                            int code) {
        assertEquals(word, status.word());
        assertEquals(mlflowName, status.mlflowName());
        assertEquals(code, status.fileStoreCode());
        // MLflow's own protobuf enum agrees on the name and the number
        assertEquals(code, Service.RunStatus.valueOf(mlflowName).getNumber());
        assertEquals(status, RunStatus.ofWord(word));
        assertEquals(status, RunStatus.ofMlflowName(mlflowName));
        assertEquals(status, RunStatus.ofFileStoreCode(code));
    }

    @Test
    void unknownWordsNamesAndCodesAreRefusedByName() {
        assertEquals("unknown run status 'done'",
                assertThrows(IllegalArgumentException.class, () -> RunStatus.ofWord("done")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> RunStatus.ofMlflowName("SCHEDULED"));
        assertThrows(IllegalArgumentException.class, () -> RunStatus.ofFileStoreCode(2));
    }
}
