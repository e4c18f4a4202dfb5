package ${package};

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.spikeforge.api.convert.ThresholdGranularity;
import io.spikeforge.api.convert.ThresholdStrategy;
import io.spikeforge.testkit.PluginPackagingContract;
import io.spikeforge.testkit.convert.ReferenceLayerCalibration;
import io.spikeforge.testkit.convert.ThresholdStrategyContract;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** The threshold-strategy contract, hand-computed thresholds, and the plugin's packaging. */
class ExampleThresholdStrategyTest extends ThresholdStrategyContract {
    private final ExampleThresholdStrategy provider = new ExampleThresholdStrategy();

    @Override
    protected ThresholdStrategy createStrategy() {
        return provider.create(provider.parameters().resolve(Map.of("fraction", 0.5)));
    }

    @Test
    void halfOfEachChannelsLargestActivation() {
        // [N=2, C=2]: channel 0 peaks at 4, channel 1 at 2
        var layer = ReferenceLayerCalibration.builder("fc", Nd4j.createFromArray(new double[][] {{4, 1}, {3, 2}}))
                .optGranularity(ThresholdGranularity.CHANNEL).build();
        assertArrayEquals(new double[] {2, 1}, createStrategy().thresholds(layer).toDoubleVector(), 1e-15);
    }

    /** What the host needs to find and create the plugin's components (plugin.properties, extension index). */
    @Nested
    class Packaging extends PluginPackagingContract {
    }
}
