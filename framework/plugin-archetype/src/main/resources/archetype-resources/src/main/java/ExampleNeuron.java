package ${package};

import io.spikeforge.api.component.ComponentProviderBase;
import io.spikeforge.api.component.ParameterSchema;
import io.spikeforge.api.component.ParameterSpec;
import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.api.neuron.BaseNeuron;
import io.spikeforge.api.neuron.ChunkCharge;
import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.api.neuron.NeuronModelProvider;
import io.spikeforge.api.neuron.SurrogateFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.pf4j.Extension;

/**
 * A leaky integrate-and-fire neuron written by its charge step, {@code H = decay V + X}, with a hard
 * reset to 0; {@link BaseNeuron} fires, resets, runs the time steps and back-propagates through time.
 * The charge is written twice: in double precision ({@link Neuron#charge}, the reference that gradient
 * checks use) and in float chunks ({@link Neuron#chunkCharge}), which puts FLOAT training on the fused,
 * multi-threaded kernel; the neuron contract checks that the two agree (floatAndDoubleAgree).
 * Experiments select it with {@code neuron: {id: ${componentId}, decay: 0.5, threshold: 1.0}}.
 */
@Extension
public class ExampleNeuron extends ComponentProviderBase implements NeuronModelProvider {
    public ExampleNeuron() {
        super("${componentId}", "Leaky integrate-and-fire: H = decay V + X, hard reset to 0",
                ParameterSchema.of(
                        ParameterSpec.number("decay").optDefault(0.5).optRange(0, 1)
                                .optDescription("the share of the potential kept from one step to the next").build(),
                        ParameterSpec.number("threshold").optDefault(1.0).optMin(0, false)
                                .optDescription("the potential at which a neuron fires").build()));
    }

    @Override
    public NeuronModel create(ResolvedParameters parameters, SurrogateFunction surrogate, DataType dataType) {
        return new Neuron(parameters.getDouble("decay"), parameters.getDouble("threshold"), surrogate, dataType);
    }

    /** One layer's neurons. */
    static final class Neuron extends BaseNeuron {
        private final double decay;

        Neuron(double decay, double threshold, SurrogateFunction surrogate, DataType dataType) {
            // fixed threshold, hard reset to 0, reset not detached, fires at the threshold
            super(new Firing(threshold, false, false, 0, false, true), surrogate, dataType);
            this.decay = decay;
        }

        @Override
        protected void charge(double[] input, double[] potential, double[] charged, int length) {
            for (int i = 0; i < length; i++) {
                charged[i] = decay * potential[i] + input[i];
            }
        }

        @Override
        protected void chargeBackward(double[] input, double[] potential, double[] gradCharged,
                                      double[] gradInput, double[] gradPotential, int length) {
            for (int i = 0; i < length; i++) {
                gradInput[i] = gradCharged[i];              // dH/dX = 1
                gradPotential[i] = decay * gradCharged[i];  // dH/dV = decay
            }
        }

        @Override
        protected ChunkCharge chunkCharge() {
            float k = (float) decay;
            return new ChunkCharge() {
                @Override
                public void chargeFirst(float[] input, float[] charged, int length) {
                    System.arraycopy(input, 0, charged, 0, length);  // V[-1] = 0
                }

                @Override
                public void charge(float[] input, float[] potential, float[] charged, int length) {
                    for (int i = 0; i < length; i++) {
                        charged[i] = k * potential[i] + input[i];
                    }
                }

                @Override
                public boolean usesPotential() {
                    return true;
                }

                @Override
                public void potentialGradient(float[] gradCharged, float[] gradPotential, int length) {
                    for (int i = 0; i < length; i++) {
                        gradPotential[i] = k * gradCharged[i];
                    }
                }

                @Override
                public void inputGradient(float[] gradCharged, float[] gradInput, int length) {
                    System.arraycopy(gradCharged, 0, gradInput, 0, length);
                }
            };
        }
    }
}
