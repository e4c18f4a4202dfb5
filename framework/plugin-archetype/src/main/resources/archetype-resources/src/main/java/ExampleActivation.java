package ${package};

import io.spikeforge.api.activation.AnnActivation;
import io.spikeforge.api.activation.AnnActivationProvider;
import io.spikeforge.api.component.ComponentProviderBase;
import io.spikeforge.api.component.ParameterSchema;
import io.spikeforge.api.component.ParameterSpec;
import io.spikeforge.api.component.ResolvedParameters;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.pf4j.Extension;

/**
 * Softplus, a smooth ReLU: {@code y = ln(1 + exp(beta x)) / beta}, {@code dy/dx = sigmoid(beta x)}.
 * Experiments select it in an ANN's model section with {@code activation: {id: ${componentId}, beta: 4}}.
 */
@Extension
public class ExampleActivation extends ComponentProviderBase implements AnnActivationProvider {
    public ExampleActivation() {
        super("${componentId}", "Softplus ln(1 + exp(beta x)) / beta, a smooth ReLU",
                ParameterSchema.of(ParameterSpec.number("beta").optDefault(4.0).optMin(0, false)
                        .optDescription("sharpness: the larger, the closer to ReLU").build()));
    }

    @Override
    public AnnActivation create(ResolvedParameters parameters, int channels, DataType dataType) {
        return new Softplus(parameters.getDouble("beta"));
    }

    /** One layer's activation; keeps the input of a training forward for backward. */
    static final class Softplus implements AnnActivation {
        private final double beta;
        private INDArray input;

        Softplus(double beta) {
            this.beta = beta;
        }

        @Override
        public INDArray forward(INDArray x, boolean training) {
            input = training ? x.dup() : null;
            // ln(1 + exp(z)) = max(z, 0) + ln(1 + exp(-|z|)): no overflow for large |z|
            INDArray z = x.mul(beta);
            INDArray tail = Transforms.log(Transforms.exp(Transforms.abs(z, true).negi(), false).addi(1), false);
            return Transforms.relu(z, false).addi(tail).divi(beta);
        }

        @Override
        public INDArray backward(INDArray gradOutput) {
            if (input == null) {
                throw new IllegalStateException("backward needs a training-mode forward first");
            }
            return Transforms.sigmoid(input.mul(beta), false).muli(gradOutput);
        }
    }
}
