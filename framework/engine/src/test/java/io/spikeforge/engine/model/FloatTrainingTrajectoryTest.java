package io.spikeforge.engine.model;

import static io.spikeforge.engine.model.ModelTesting.idsnnLif;
import static io.spikeforge.engine.model.ModelTesting.labels;
import static io.spikeforge.engine.model.ModelTesting.normal;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spikeforge.testkit.SlowTest;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Float training (fused Java kernels for BatchNorm and neurons, oneDNN convolutions) follows double
 * training (the op-by-op reference path) from the same weights, step after step: the ANN to float
 * rounding over all steps; the spiking network to float rounding until the first spike flips at the
 * threshold, and within a fraction of a percent after, without drifting apart. A systematic error in
 * a float kernel (a wrong coefficient, a lost term) shows up as a growing gap.
 */
@SlowTest
class FloatTrainingTrajectoryTest {
    private static final int STEPS = 25;
    private static final INDArray IMAGES = normal(11, DataType.DOUBLE, 16, 3, 16, 16);
    private static final int[] LABELS = labels(12, 16, 10);

    private static ResNet.Builder small() {
        return ResNet.builder().optDepth(20).optBlocksPerStage(1).optWidths(16, 32, 64).optClasses(10).optSeed(5);
    }

    @Test
    void annFloatTrainingFollowsDouble() {
        double[][] losses = losses(small());
        for (int step = 0; step < STEPS; step++) {
            assertEquals(losses[1][step], losses[0][step], 1e-5 * losses[1][step], "loss of step " + step);
        }
    }

    @Test
    void spikingFloatTrainingFollowsDouble() {
        double[][] losses = losses(small().optSpiking(idsnnLif(), 4));
        for (int step = 0; step < 3; step++) {
            assertEquals(losses[1][step], losses[0][step], 1e-6 * losses[1][step], "loss of step " + step);
        }
        for (int step = 3; step < STEPS; step++) {
            assertEquals(losses[1][step], losses[0][step], 0.02 * losses[1][step], "loss of step " + step);
        }
        assertEquals(losses[1][STEPS - 1], losses[0][STEPS - 1], 0.01 * losses[1][STEPS - 1], "no drift");
    }

    /** Losses of float (row 0) and double (row 1) training from the float model's initial weights. */
    private static double[][] losses(ResNet.Builder builder) {
        ResNet floatModel = builder.optDataType(DataType.FLOAT).build();
        ResNet doubleModel = builder.optDataType(DataType.DOUBLE).build();
        doubleModel.parameters().forEach((name, p) -> p.value().assign(floatModel.parameters().get(name).value()));
        ModelTesting.MomentumSgd floatSgd = new ModelTesting.MomentumSgd(floatModel, 0.05, 0.9);
        ModelTesting.MomentumSgd doubleSgd = new ModelTesting.MomentumSgd(doubleModel, 0.05, 0.9);
        INDArray floatImages = IMAGES.castTo(DataType.FLOAT);
        double[][] losses = new double[2][STEPS];
        for (int step = 0; step < STEPS; step++) {
            losses[0][step] = floatSgd.step(floatImages, LABELS);
            losses[1][step] = doubleSgd.step(IMAGES, LABELS);
        }
        return losses;
    }
}
