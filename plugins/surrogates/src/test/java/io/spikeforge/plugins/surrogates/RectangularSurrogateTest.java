package io.spikeforge.plugins.surrogates;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Values of the rectangular surrogate at hand-picked points, in scalar and array form. */
class RectangularSurrogateTest {
    /** IDSNN: gradient 1 where |mem - 0.5| < 0.5; u = mem - 0.5, so 1 exactly for -0.5 < u < 0.5. */
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void unitWidthIsTheIdsnnWindow(DataType type) {
        double[] u = {-0.75, -0.5, -0.4999, -0.25, 0.0, 0.25, 0.4999, 0.5, 0.75, 3.0};
        double[] expected = {0, 0, 1, 1, 1, 1, 1, 0, 0, 0};
        RectangularSurrogate surrogate = new RectangularSurrogate(1.0);
        for (int i = 0; i < u.length; i++) {
            assertEquals(expected[i], surrogate.derivative(u[i]), "scalar form at u = " + u[i]);
        }
        INDArray array = Nd4j.createFromArray(u).castTo(type);
        assertArrayEquals(expected, surrogate.derivative(array, array.ulike()).castTo(DataType.DOUBLE).toDoubleVector());
    }

    /** Width 2: height 1/2 on (-1, 1); width 0.25: height 4 on (-0.125, 0.125). */
    @Test
    void widthSetsSupportAndHeight() {
        RectangularSurrogate wide = new RectangularSurrogate(2.0);
        assertEquals(0.5, wide.derivative(0.9));
        assertEquals(0.5, wide.derivative(-0.99));
        assertEquals(0.0, wide.derivative(1.0));
        RectangularSurrogate narrow = new RectangularSurrogate(0.25);
        assertEquals(4.0, narrow.derivative(0.1));
        assertEquals(0.0, narrow.derivative(0.125));
        assertEquals(0.0, narrow.derivative(-0.2));
        INDArray u = Nd4j.createFromArray(0.1, 0.125, -0.124, -0.2);
        assertArrayEquals(new double[] {4, 0, 4, 0}, narrow.derivative(u, u).toDoubleVector());
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY})
    void rejectsWidthThatIsNotPositiveAndFinite(double width) {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> new RectangularSurrogate(width));
        assertEquals("width must be a positive finite number, got " + width, thrown.getMessage());
    }
}
