package io.spikeforge.plugins.thresholds;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spikeforge.api.convert.ThresholdGranularity;
import io.spikeforge.testkit.convert.ReferenceLayerCalibration;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** {@code activation} takes the ANN activation's threshold, and says what to use where there is none. */
class ActivationThresholdTest {
    private final ActivationThreshold strategy = new ActivationThreshold();

    @Test
    void everyChannelGetsTheActivationsThreshold() {
        ReferenceLayerCalibration layer = ReferenceLayerCalibration.builder("layer1.0.sn1", Nd4j.rand(DataType.DOUBLE, 5, 3))
                .optGranularity(ThresholdGranularity.CHANNEL).optActivationThreshold(2.75).build();
        assertArrayEquals(new double[] {2.75, 2.75, 2.75}, strategy.thresholds(layer).toDoubleVector(), 0.0);
        assertEquals(DataType.DOUBLE, strategy.thresholds(layer).dataType());
    }

    @Test
    void aReluLayerIsAnErrorNamingTheLayerAndTheAlternatives() {
        ReferenceLayerCalibration relu = ReferenceLayerCalibration.builder("layer1.0.sn1", Nd4j.rand(DataType.DOUBLE, 5, 3))
                .build();
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> strategy.thresholds(relu));
        assertEquals("layer layer1.0.sn1: its ANN activation defines no threshold (ReLU has none), so the 'activation'"
                + " threshold strategy cannot be used; use max, percentile, mse-search or ttrbr for ReLU networks",
                error.getMessage());
    }

    @Test
    void aThresholdThatIsNotPositiveIsAnError() {
        ReferenceLayerCalibration layer = ReferenceLayerCalibration.builder("stem.sn", Nd4j.rand(DataType.DOUBLE, 5, 3))
                .optActivationThreshold(-0.2).build();
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> strategy.thresholds(layer));
        assertEquals("layer stem.sn: its ANN activation's threshold is -0.2; a firing threshold must be positive and finite",
                error.getMessage());
    }
}
