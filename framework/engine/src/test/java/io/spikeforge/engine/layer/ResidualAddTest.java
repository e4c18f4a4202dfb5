package io.spikeforge.engine.layer;

import static io.spikeforge.engine.layer.TestTensors.assertPassed;
import static io.spikeforge.engine.layer.TestTensors.normal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spikeforge.engine.gradcheck.DifferentiableFunction;
import io.spikeforge.engine.gradcheck.GradientCheck;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class ResidualAddTest {
    @Test
    void gradientsOfBothInputsMatchFiniteDifferences() {
        ResidualAdd add = new ResidualAdd(DataType.DOUBLE);
        DifferentiableFunction function = new DifferentiableFunction() {
            @Override
            public INDArray forward(List<INDArray> inputs) {
                return add.forward(inputs.get(0), inputs.get(1));
            }

            @Override
            public List<INDArray> backward(INDArray gradOutput) {
                INDArray gradient = add.backward(gradOutput);
                return List.of(gradient, gradient);
            }
        };
        assertPassed(GradientCheck.withDefaults().check(function, List.of(normal(1, 2, 3, 2, 2), normal(2, 2, 3, 2, 2))));
    }

    @Test
    void forwardSumsAndBackwardPassesTheGradientThrough() {
        ResidualAdd add = new ResidualAdd(DataType.DOUBLE);
        INDArray main = normal(3, 2, 4);
        INDArray shortcut = normal(4, 2, 4);
        assertEquals(main.add(shortcut), add.forward(main, shortcut));
        INDArray gradOutput = normal(5, 2, 4);
        assertSame(gradOutput, add.backward(gradOutput));
    }

    @Test
    void branchesMustHaveTheSameShape() {
        ResidualAdd add = new ResidualAdd(DataType.DOUBLE);
        assertThrows(IllegalArgumentException.class, () -> add.forward(normal(1, 2, 4), normal(2, 2, 3)));
    }
}
