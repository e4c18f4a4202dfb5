package io.spikeforge.engine.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spikeforge.api.activation.AnnActivation;
import io.spikeforge.api.convert.LayerCalibration;
import io.spikeforge.api.model.LayerKind;
import io.spikeforge.engine.layer.BatchNorm2d;
import io.spikeforge.engine.layer.Conv2d;
import io.spikeforge.engine.layer.GlobalAvgPool2d;
import io.spikeforge.engine.layer.Linear;
import io.spikeforge.engine.layer.PluginActivation;
import io.spikeforge.engine.model.ComposedModel;
import io.spikeforge.engine.model.PlainTestModel;
import io.spikeforge.engine.model.Sequential;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** A plugin's activation is a site: its own forward is the ANN reference, its threshold reaches the strategy. */
class PluginActivationConversionTest {
    /** {@code clip(x, 0, 0.8)}, converted with threshold 0.8. */
    private static final class Clip implements AnnActivation {
        @Override
        public INDArray forward(INDArray input, boolean training) {
            return Transforms.min(Transforms.max(input, 0.0, true), 0.8, false);
        }

        @Override
        public INDArray backward(INDArray gradOutput) {
            throw new UnsupportedOperationException("inference only");
        }

        @Override
        public OptionalDouble conversionThreshold() {
            return OptionalDouble.of(0.8);
        }
    }

    /** conv-BN-clip, global average pooling, linear. */
    private static ComposedModel plain() {
        return PlainTestModel.of("plain", 1, 2, DataType.DOUBLE,
                new Sequential().add("conv1", new Conv2d(1, 3, 3, 1, 1, false, DataType.DOUBLE))
                        .add("bn1", BatchNorm2d.standard(3, DataType.DOUBLE))
                        .add("act1", LayerKind.ACTIVATION, new PluginActivation(new Clip(), DataType.DOUBLE)),
                new Sequential().add("avgpool", new GlobalAvgPool2d(DataType.DOUBLE))
                        .add("fc", new Linear(3, 2, true, DataType.DOUBLE)));
    }

    @Test
    void pluginActivationsAreSitesWithTheirOwnForwardAndThreshold() {
        // the layers draw their initial weights from ND4J's global generator: seeded, so that the
        // outcome does not depend on which tests ran before in this JVM
        Nd4j.getRandom().setSeed(7);
        ComposedModel ann = plain();
        ConversionFixtures.randomizeBatchNorm(ann, 4);
        INDArray images = ConversionFixtures.images(3, 4, 5, DataType.DOUBLE);
        Conversion conversion = Conversion.of(ann);
        assertArrayEquals(ann.forward(images, false).dup().reshape(-1).toDoubleVector(),
                conversion.annLogits(images).reshape(-1).toDoubleVector(), 1e-12);
        assertEquals(List.of("act1"), conversion.sites(NeuronPlacement.AFTER_ADDITION));
        List<OptionalDouble> seen = new ArrayList<>();
        List<Double> largest = new ArrayList<>();
        SpikingConversion converted = conversion.convert(ConversionSettings.builder().build(), (LayerCalibration layer) -> {
            seen.add(layer.activationThreshold());
            largest.add(layer.annActivations().maxNumber().doubleValue());
            return Nd4j.createFromArray(layer.activationThreshold().orElseThrow());
        }, List.of(images), ConversionProgress.NONE);
        assertEquals(List.of(OptionalDouble.of(0.8)), seen);
        assertEquals(0.8, largest.get(0), 1e-12, "the ANN reference is the plugin's clipped activation");
        assertEquals(0.8, converted.thresholds().get("act1").getDouble(0), 0);
    }
}
