package io.spikeforge.api.neuron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.component.InvalidParametersException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The forms {@link SurrogateFunctionBase} derives, and {@link AlphaSurrogateProvider}'s parameter. */
class SurrogateFunctionBaseTest {
    /** {@code alpha / 2 exp(-alpha |u|)}, SpikingJelly's PiecewiseExp: the kind of class a plugin author writes. */
    private static final class PiecewiseExp extends AlphaSurrogateProvider {
        PiecewiseExp() {
            super("piecewise-exp", "Piecewise exponential surrogate", 1.0, "sharpness");
        }

        @Override
        protected double derivative(double u, double alpha) {
            return alpha / 2 * Math.exp(-alpha * Math.abs(u));
        }
    }

    private final SurrogateFunction surrogate = new PiecewiseExp().create(2.0);

    @Test
    void aDenseFloatArrayLargerThanManyChunksEqualsTheChunkFormExactly() {
        int length = 100_003;  // chunks of 4096 on every thread, and a partial last one
        INDArray u = Nd4j.linspace(-4, 4, length, DataType.FLOAT);
        float[] expected = u.toFloatVector();
        surrogate.derivative(expected, expected, length);
        INDArray out = surrogate.derivative(u, u.ulike());
        for (int i = 0; i < length; i++) {
            assertEquals(expected[i], out.getFloat(i), 0f, "element " + i);
            assertEquals((float) surrogate.derivative(u.getFloat(i)), expected[i], 0f, "chunk form at element " + i);
        }
    }

    /** Neurons call the array form in every pass; the engine relies on repeated passes allocating no array. */
    @Test
    void theArrayFormOnTheCpuCreatesNoNd4jArray() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE, DataType.HALF}) {
            INDArray dense = Nd4j.linspace(-3, 3, 600, DataType.DOUBLE).castTo(type).reshape(6, 10, 10);
            INDArray denseOut = dense.ulike();
            INDArray view = dense.get(NDArrayIndex.all(), NDArrayIndex.point(3), NDArrayIndex.interval(2, 8));
            INDArray viewOut = Nd4j.create(type, new long[] {6, 6}, 'f');
            surrogate.derivative(dense, denseOut);
            surrogate.derivative(view, viewOut);
            WorkspaceConfiguration configuration = WorkspaceConfiguration.builder().initialSize(1 << 20)
                    .policyAllocation(AllocationPolicy.STRICT).policyLearning(LearningPolicy.NONE).build();
            try (MemoryWorkspace probe = Nd4j.getWorkspaceManager().getAndActivateWorkspace(configuration,
                    "surrogate-probe-" + System.nanoTime())) {
                surrogate.derivative(dense, denseOut);
                surrogate.derivative(view, viewOut);
                surrogate.derivative(denseOut, denseOut);
                assertEquals(0, probe.getPrimaryOffset(), type + ": bytes of ND4J arrays created");
                Nd4j.create(DataType.FLOAT, 16);
                assertTrue(probe.getPrimaryOffset() >= 64, "the probe sees allocations");
            }
        }
    }

    @Test
    void otherFloatingPointTypesGoThroughDouble() {
        for (DataType type : new DataType[] {DataType.HALF, DataType.BFLOAT16}) {
            INDArray u = Nd4j.createFromArray(-1.0, -0.25, 0.0, 0.5, 3.0).castTo(type).reshape(5, 1);
            INDArray out = surrogate.derivative(u, Nd4j.zeros(type, 5, 1));
            for (int i = 0; i < 5; i++) {
                double expected = surrogate.derivative(u.getDouble(i, 0));
                assertEquals(expected, out.getDouble(i, 0), 1e-2 * expected, type + " element " + i);
            }
        }
    }

    @Test
    void emptyAndRankZeroArraysWork() {
        INDArray empty = Nd4j.create(DataType.FLOAT, 0);
        assertSame(empty, surrogate.derivative(empty, empty));
        INDArray scalar = Nd4j.scalar(0.5);
        assertEquals(Math.exp(-1), surrogate.derivative(scalar, scalar.ulike()).getDouble(0), 1e-15);
    }

    @Test
    void outOfAnotherShapeOrTypeIsRefused() {
        INDArray u = Nd4j.zeros(DataType.FLOAT, 2, 3);
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> surrogate.derivative(u, Nd4j.zeros(DataType.FLOAT, 3, 2)));
        assertEquals("piecewise-exp(alpha=2.0): out must have the shape and data type of u, got u FLOAT[2, 3] and"
                + " out FLOAT[3, 2]", shape.getMessage());
        assertThrows(IllegalArgumentException.class, () -> surrogate.derivative(u, Nd4j.zeros(DataType.DOUBLE, 2, 3)));
    }

    @Test
    void alphaDefaultsAndMustBePositiveAndFinite() {
        PiecewiseExp provider = new PiecewiseExp();
        assertEquals(0.5, provider.create(provider.parameters().defaults()).derivative(0.0));
        InvalidParametersException zero = assertThrows(InvalidParametersException.class,
                () -> provider.parameters().resolve(Map.of("alpha", 0.0)));
        assertEquals("alpha", zero.problems().get(0).key());
        assertTrue(zero.getMessage().contains("> 0"), zero.getMessage());
        assertThrows(InvalidParametersException.class,
                () -> provider.parameters().resolve(Map.of("alpha", Double.POSITIVE_INFINITY)));
        IllegalArgumentException direct = assertThrows(IllegalArgumentException.class, () -> provider.create(-1.0));
        assertEquals("piecewise-exp: alpha must be a finite number > 0, got -1.0", direct.getMessage());
    }
}
