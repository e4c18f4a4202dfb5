package io.spikeforge.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** 2x2 pooling by hand, on an odd size where the last window is cut at the border (PyTorch's ceil_mode). */
class Pooling2dTest {
    private static final INDArray INPUT = Nd4j.create(new double[] {
        1, 5, 2,
        3, 4, 9,
        7, 0, 6}, new long[] {1, 1, 3, 3}, DataType.DOUBLE);

    @Test
    void maxPoolingTakesTheLargestValueAndSendsTheGradientThere() {
        Pooling2d pool = new Pooling2d(Pooling2d.Mode.MAX, DataType.DOUBLE);

        INDArray output = pool.forward(INPUT, true);
        INDArray gradInput = pool.backward(Nd4j.create(new double[] {10, 20, 30, 40}, new long[] {1, 1, 2, 2},
                DataType.DOUBLE));

        assertArrayEquals(new double[] {5, 9, 7, 6}, output.reshape(4).toDoubleVector(), 0);
        assertArrayEquals(new double[] {0, 10, 0, 0, 0, 20, 30, 0, 40}, gradInput.reshape(9).toDoubleVector(), 0);
    }

    @Test
    void averagePoolingTakesTheMeanOfTheValuesPresent() {
        Pooling2d pool = new Pooling2d(Pooling2d.Mode.AVERAGE, DataType.DOUBLE);

        INDArray output = pool.forward(INPUT, true);
        INDArray gradInput = pool.backward(Nd4j.create(new double[] {4, 2, 2, 1}, new long[] {1, 1, 2, 2},
                DataType.DOUBLE));

        assertArrayEquals(new double[] {13 / 4.0, 11 / 2.0, 7 / 2.0, 6}, output.reshape(4).toDoubleVector(), 1e-12);
        assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, gradInput.reshape(9).toDoubleVector(), 1e-12);
    }

    @Test
    void backwardNeedsATrainingForward() {
        Pooling2d pool = new Pooling2d(Pooling2d.Mode.MAX, DataType.DOUBLE);
        pool.forward(INPUT, false);
        assertThrows(IllegalStateException.class, () -> pool.backward(Nd4j.zeros(DataType.DOUBLE, 1, 1, 2, 2)));
    }
}
