package io.spikeforge.tracking;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** MLflow's key and value rules, from mlflow/utils/validation.py. */
class MlflowNamesTest {
    @ParameterizedTest
    @ValueSource(strings = {"loss", "train/loss", "firing rate.layer-1", "größe", "a/..b", ".hidden", "x_1"})
    void acceptsWhatMlflowAccepts(String key) {
        assertDoesNotThrow(() -> MlflowNames.checkKey("metric", key));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a:b", "a,b", "tab\there", "/abs", "../up", "..x", "a//b", "a/./b", "a/../b",
        "dir/", ".", "a/."})
    void refusesWhatMlflowRefuses(String key) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MlflowNames.checkKey("metric", key));
        assertTrue(e.getMessage().startsWith("Invalid metric name: '" + key + "'"), e.getMessage());
    }

    @Test
    void limitsLengths() {
        assertDoesNotThrow(() -> MlflowNames.checkKey("tag", "k".repeat(250)));
        assertThrows(IllegalArgumentException.class, () -> MlflowNames.checkKey("tag", "k".repeat(251)));
        assertDoesNotThrow(() -> MlflowNames.checkParam("p", "v".repeat(6000)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MlflowNames.checkParam("p", "v".repeat(6001)));
        assertTrue(e.getMessage().contains("6001") && e.getMessage().contains("6000"), e.getMessage());
        assertDoesNotThrow(() -> MlflowNames.checkTag("t", "v".repeat(5000)));
        assertThrows(IllegalArgumentException.class, () -> MlflowNames.checkTag("t", "v".repeat(5001)));
        assertThrows(IllegalArgumentException.class, () -> MlflowNames.checkExperimentName(""));
        assertThrows(IllegalArgumentException.class, () -> MlflowNames.checkExperimentName("e".repeat(501)));
    }
}
