package io.spikeforge.engine.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spikeforge.engine.model.ResNet;
import io.spikeforge.testkit.SlowTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** ResNet-110 converts, calibrates and evaluates end to end (on small images, few steps). */
@SlowTest
class DeepResNetConversionTest {
    @Test
    void resNet110ConvertsWithEveryPlacement() {
        ResNet ann = ResNet.builder().optDepth(110).optInputChannels(1).optSeed(1).build();
        ConversionFixtures.randomizeBatchNorm(ann, 1);
        INDArray images = ConversionFixtures.images(2, 2, 8, DataType.FLOAT);
        Conversion conversion = Conversion.of(ann);
        assertEquals(1 + 54 * 2, conversion.sites(NeuronPlacement.AFTER_ADDITION).size());
        assertEquals(1 + 54 * 4, conversion.sites(NeuronPlacement.BRANCH_NEURONS).size());
        for (NeuronPlacement placement : NeuronPlacement.values()) {
            SpikingConversion converted = conversion.convert(ConversionSettings.builder().optPlacement(placement)
                    .optCalibrationTimeSteps(2).build(), new ConversionFixtures.MaxStrategy(), List.of(images),
                    ConversionProgress.NONE);
            ConversionEvaluation evaluation = converted.evaluate(ReferenceConversionTest.batches(images),
                    new int[] {1, 3}, ConversionProgress.NONE);
            assertEquals(converted.sites(), List.copyOf(evaluation.firingRates().keySet()));
            for (Node.Site site : converted.network().sites()) {
                assertEquals(2, site.neurons().membrane().size(0), site.name());
            }
            assertEquals(2 * converted.sites().size(), converted.analyseErrors(List.of(images), new int[] {1, 3}).size());
        }
    }
}
