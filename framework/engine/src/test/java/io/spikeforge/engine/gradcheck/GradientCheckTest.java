package io.spikeforge.engine.gradcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.model.Parameter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GradientCheckTest {
    /** y = w * x^2 per element, with a backward that can be made wrong on purpose. */
    private static final class ScaledSquare implements DifferentiableFunction {
        private final Parameter scale;
        private final double inputGradientError;
        private final double scaleGradientError;
        private INDArray input;

        ScaledSquare(INDArray scaleValue, double inputGradientError, double scaleGradientError) {
            this.scale = new Parameter("weight", scaleValue);
            this.inputGradientError = inputGradientError;
            this.scaleGradientError = scaleGradientError;
        }

        @Override
        public INDArray forward(List<INDArray> inputs) {
            input = inputs.get(0);
            return input.mul(input).muli(scale.value());
        }

        @Override
        public List<INDArray> backward(INDArray gradOutput) {
            scale.gradient().addi(input.mul(input).muli(gradOutput).muli(1 + scaleGradientError));
            return List.of(input.mul(scale.value()).muli(2).muli(gradOutput).muli(1 + inputGradientError));
        }

        @Override
        public List<Parameter> parameters() {
            return List.of(scale);
        }
    }

    private static INDArray values(double... v) {
        return Nd4j.create(v, new long[] {v.length}, DataType.DOUBLE);
    }

    @Test
    void correctGradientsPass() {
        GradientCheckResult result = GradientCheck.withDefaults()
                .check(new ScaledSquare(values(0.5, -1.5, 2, 3), 0, 0), List.of(values(1, -2, 0.3, 4)));
        assertTrue(result.passed(), result::summary);
        assertEquals(List.of("input0", "weight"), result.tensors().stream().map(GradientCheckResult.TensorResult::name).toList());
        assertEquals(4, result.tensors().get(0).checkedEntries());
    }

    @Test
    void aWrongInputGradientFails() {
        GradientCheckResult result = GradientCheck.withDefaults()
                .check(new ScaledSquare(values(0.5, -1.5, 2, 3), 1e-3, 0), List.of(values(1, -2, 0.3, 4)));
        assertFalse(result.passed());
        assertFalse(result.tensors().get(0).passed(), result::summary);
        assertTrue(result.tensors().get(1).passed(), result::summary);
        assertEquals(1e-3, result.tensors().get(0).maxRelativeError(), 1e-4);
    }

    @Test
    void aWrongParameterGradientFails() {
        GradientCheckResult result = GradientCheck.withDefaults()
                .check(new ScaledSquare(values(0.5, -1.5, 2, 3), 0, -0.5), List.of(values(1, -2, 0.3, 4)));
        assertTrue(result.tensors().get(0).passed(), result::summary);
        assertFalse(result.tensors().get(1).passed(), result::summary);
    }

    @Test
    void largeTensorsAreSampled() {
        INDArray input = Nd4j.linspace(DataType.DOUBLE, 1, 100, 1);
        GradientCheckResult result = GradientCheck.withDefaults().withMaxEntriesPerTensor(10)
                .check(new ScaledSquare(Nd4j.ones(DataType.DOUBLE, 100), 0, 0), List.of(input));
        assertTrue(result.passed(), result::summary);
        assertEquals(10, result.tensors().get(0).checkedEntries());
    }

    @Test
    void perturbedValuesAreRestored() {
        INDArray input = values(1, -2, 0.3, 4);
        INDArray scale = values(0.5, -1.5, 2, 3);
        GradientCheck.withDefaults().check(new ScaledSquare(scale, 0, 0), List.of(input));
        assertEquals(values(1, -2, 0.3, 4), input);
        assertEquals(values(0.5, -1.5, 2, 3), scale);
    }

    @Test
    void floatIsRefused() {
        INDArray input = Nd4j.ones(DataType.FLOAT, 3);
        assertThrows(IllegalArgumentException.class, () -> GradientCheck.withDefaults()
                .check(new ScaledSquare(values(1, 1, 1), 0, 0), List.of(input)));
    }
}
