package io.spikeforge.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.engine.data.DataLoader;
import io.spikeforge.engine.data.ImageSet;
import io.spikeforge.engine.data.ImageShape;
import io.spikeforge.engine.data.LoaderOptions;
import io.spikeforge.engine.data.Normalization;
import io.spikeforge.engine.model.Model;
import io.spikeforge.engine.model.ResNet;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The evaluator's accuracy per class, against the model's own predictions image by image. */
class EvaluatorTest {
    private static final ImageShape SHAPE = new ImageShape(1, 4);
    private static final int CLASSES = 3;
    private static final int IMAGES = 23;

    @Test
    void perClassAccuracyCountsEachClassesImagesAndThoseItsPredictionsGetRight() {
        Random random = new Random(3);
        byte[] pixels = new byte[IMAGES * SHAPE.imageBytes()];
        random.nextBytes(pixels);
        int[] labels = random.ints(IMAGES, 0, CLASSES).toArray();
        ImageSet images = new ImageSet(SHAPE, pixels, labels, CLASSES);
        Model model = ResNet.builder().optInputChannels(1).optWidths(2, 4).optBlocksPerStage(1).optClasses(CLASSES)
                .optSeed(11).build();

        EvaluationResult result = Evaluator.evaluate(model, new DataLoader(images,
                LoaderOptions.evaluation(5, Normalization.unitRange(1))), () -> false).orElseThrow();

        long[] correct = new long[CLASSES];
        long[] perClass = new long[CLASSES];
        for (int i = 0; i < IMAGES; i++) {
            INDArray image = Nd4j.create(DataType.FLOAT, 1, 1, 4, 4);
            for (int p = 0; p < 16; p++) {
                image.putScalar(new long[] {0, 0, p / 4, p % 4}, images.pixel(i, 0, p / 4, p % 4) / 255.0);
            }
            long predicted = Predictions.classes(model.forward(image, false))[0];
            perClass[labels[i]]++;
            correct[labels[i]] += predicted == labels[i] ? 1 : 0;
        }
        ClassAccuracy accuracy = result.perClass().orElseThrow();
        assertEquals(CLASSES, accuracy.classes());
        for (int c = 0; c < CLASSES; c++) {
            assertEquals(perClass[c], accuracy.images(c), "images of class " + c);
            assertEquals(correct[c], accuracy.correct(c), "correct of class " + c);
        }
        assertEquals(result.accuracy() * IMAGES, accuracy.totalCorrect(), 1e-9);
        assertTrue(accuracy.totalCorrect() > 0 && accuracy.totalCorrect() < IMAGES,
                "a random model gets some right and some wrong: " + accuracy);
    }
}
