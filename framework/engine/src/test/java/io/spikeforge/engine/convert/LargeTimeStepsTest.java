package io.spikeforge.engine.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.engine.data.Batch;
import io.spikeforge.engine.model.Model;
import io.spikeforge.engine.model.Pooling2d;
import io.spikeforge.engine.model.Vgg;
import io.spikeforge.testkit.SlowTest;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** With many time-steps the converted network computes what the ANN computes, for every placement. */
@SlowTest
class LargeTimeStepsTest {
    private static final int IMAGES = 40;

    @ParameterizedTest
    @EnumSource(NeuronPlacement.class)
    void resNetAgreesWithTheAnnAtLargeT(NeuronPlacement placement) {
        Model ann = ConversionFixtures.tinyResNet(DataType.FLOAT, 21);
        agreement(ann, ConversionFixtures.images(22, IMAGES, 6, DataType.FLOAT), placement);
    }

    @Test
    void vggAgreesWithTheAnnAtLargeT() {
        // BN at its initial identity and kaiming-initialized convolutions keep a random eight-layer
        // network's output dependent on the image (random BN statistics average it out)
        Model ann = Vgg.builder().optWidths(4, 6, 6, 6, 6, 6, 6, 6).optPooling(Pooling2d.Mode.AVERAGE)
                .optInputChannels(1).optClasses(3).optDataType(DataType.FLOAT).optSeed(23).build();
        // images of different brightness, so that the 1x1 maps of the last layers differ between images
        INDArray images = ConversionFixtures.images(24, IMAGES, 8, DataType.FLOAT);
        for (int i = 0; i < IMAGES; i++) {
            images.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).muli(3.0 * i / IMAGES);
        }
        agreement(ann, images, NeuronPlacement.AFTER_ADDITION);
    }

    /**
     * The mean logits over T steps approach the ANN's: their distance, relative to the ANN logits'
     * spread over the images, is below 0.1 at T = 256 and below a tenth of what it is at T = 8
     * (measured at T = 256: 0.04 for the ResNet with after-addition and shortcut neurons, 0.07 with
     * branch neurons, 0.02 for the VGG). Accuracy agreement alone says little on a random network,
     * which may predict one class for every image.
     */
    private static void agreement(Model ann, INDArray images, NeuronPlacement placement) {
        Conversion conversion = Conversion.of(ann);
        INDArray annLogits = conversion.annLogits(images);
        int[] annPredictions = Nd4j.argMax(annLogits, 1).toIntVector();
        SpikingConversion converted = conversion.convert(ConversionSettings.builder().optPlacement(placement).build(),
                new ConversionFixtures.MaxStrategy(), List.of(images), ConversionProgress.NONE);
        Network network = converted.network();
        network.reset(false, false);
        INDArray sum = null;
        double errorAt8 = 0;
        for (int step = 0; step < 256; step++) {
            INDArray logits = network.step(images, step, null);
            sum = sum == null ? logits.dup() : sum.addi(logits);
            if (step + 1 == 8) {
                errorAt8 = relativeError(sum.div(8), annLogits);
            }
        }
        double errorAt256 = relativeError(sum.div(256), annLogits);
        assertTrue(errorAt256 < 0.1 && errorAt256 < errorAt8 / 10, placement + ": relative logit error " + errorAt8
                + " at T=8, " + errorAt256 + " at T=256");
        ConversionEvaluation evaluation = converted.evaluate(
                List.of(new Batch(images, annPredictions, annPredictions, 0, 0)).iterator(), new int[] {256},
                ConversionProgress.NONE);
        assertEquals(1.0, evaluation.annAccuracy());
        assertTrue(evaluation.accuracy().get(256) >= 0.95, placement + ": " + evaluation.accuracy());
        evaluation.firingRates().forEach((site, rate) -> assertTrue(rate > 0.01, "every site fires: " + site + " "
                + rate));
    }

    /**
     * The root-mean-square difference over the root-mean-square spread of the ANN logits around
     * their mean over the images (what tells the images apart).
     */
    private static double relativeError(INDArray logits, INDArray annLogits) {
        INDArray spread = annLogits.subRowVector(annLogits.mean(0));
        return logits.sub(annLogits).norm2Number().doubleValue() / spread.norm2Number().doubleValue();
    }
}
