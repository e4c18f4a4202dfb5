package ${package};

import io.spikeforge.api.component.ComponentProviderBase;
import io.spikeforge.api.component.ParameterSchema;
import io.spikeforge.api.component.ParameterSpec;
import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.api.convert.ThresholdGranularity;
import io.spikeforge.api.convert.ThresholdStrategy;
import io.spikeforge.api.convert.ThresholdStrategyProvider;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.pf4j.Extension;

/**
 * The threshold of a converted layer (or of each of its channels): a fraction of its largest ANN
 * activation on the calibration data. Experiments select it with
 * {@code conversion: {thresholds: {id: ${componentId}, fraction: 0.9}}}.
 */
@Extension
public class ExampleThresholdStrategy extends ComponentProviderBase implements ThresholdStrategyProvider {
    /** A dead channel's threshold: its neurons pass on at most this much per step. */
    private static final double DEAD_CHANNEL_THRESHOLD = 1e-6;

    public ExampleThresholdStrategy() {
        super("${componentId}", "A fraction of each layer's (or channel's) largest activation on the calibration data",
                ParameterSchema.of(ParameterSpec.number("fraction").optDefault(0.9).optMin(0, false).optMax(1, true)
                        .optDescription("the threshold as a fraction of the largest activation").build()));
    }

    @Override
    public ThresholdStrategy create(ResolvedParameters parameters) {
        double fraction = parameters.getDouble("fraction");
        return layer -> {
            INDArray activations = layer.annActivations();
            INDArray max = layer.granularity() == ThresholdGranularity.LAYER
                    ? Nd4j.createFromArray(new double[] {activations.maxNumber().doubleValue()})
                    // over every dimension but the channels (1)
                    : activations.max(IntStream.range(0, activations.rank()).filter(d -> d != 1).toArray())
                            .castTo(DataType.DOUBLE);
            return Transforms.max(max.muli(fraction), DEAD_CHANNEL_THRESHOLD);
        };
    }
}
