package io.spikeforge.testkit.neuron;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.model.Parameter;
import io.spikeforge.api.neuron.BaseNeuron;
import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.api.neuron.SurrogateFunction;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.opentest4j.AssertionFailedError;

/**
 * A neuron with a trainable leak passes the contract's checks of parameters and finite differences,
 * and each deliberately broken variant fails the check meant to catch it.
 */
class TrainableNeuronContractCatchesDefectsTest {
    enum Defect { NONE, WRONG_LEAK_GRADIENT, WRONG_POTENTIAL_GRADIENT, REPLACES_GRADIENT, NEW_PARAMETERS_EACH_CALL }

    /** {@code H = k V + X} with k a trainable number per layer and a soft reset at threshold 1. */
    static final class LeakyNeuron extends BaseNeuron {
        private final Parameter leak;
        private final Defect defect;
        /** REPLACES_GRADIENT: the pass's sum so far, written over the gradient at its last call. */
        private double passSum;

        LeakyNeuron(SurrogateFunction surrogate, DataType type, Defect defect) {
            super(new Firing(1.0, true, true, 0, false, true), surrogate, type);
            this.leak = scalar("leak", 0.6, type);
            this.defect = defect;
        }

        @Override
        protected void charge(double[] input, double[] potential, double[] charged, int length) {
            double k = leak.value().getDouble(0);
            for (int i = 0; i < length; i++) {
                charged[i] = k * potential[i] + input[i];
            }
        }

        @Override
        protected void chargeBackward(double[] input, double[] potential, double[] gradCharged, double[] gradInput,
                                      double[] gradPotential, int length) {
            double k = leak.value().getDouble(0);
            double gradLeak = 0;
            for (int i = 0; i < length; i++) {
                gradInput[i] = gradCharged[i];
                gradPotential[i] = gradCharged[i] * (defect == Defect.WRONG_POTENTIAL_GRADIENT ? 1 : k);
                gradLeak += gradCharged[i] * potential[i];
            }
            if (defect == Defect.WRONG_LEAK_GRADIENT) {
                gradLeak *= 1.01;
            }
            if (defect != Defect.REPLACES_GRADIENT) {
                addGradient(leak, gradLeak);
                return;
            }
            passSum += gradLeak;
            if (Arrays.stream(potential, 0, length).allMatch(v -> v == 0)) { // the first step: the pass ends
                leak.gradient().assign(passSum);
                passSum = 0;
            }
        }

        @Override
        protected List<Parameter> chargeParameters() {
            return List.of(leak);
        }
    }

    /** A neuron that hands out new Parameter objects on every call (BaseNeuron cannot). */
    private static NeuronModel newParametersEachCall(NeuronModel inner) {
        return new ForwardingNeuronModel(inner) {
            @Override
            public List<Parameter> parameters() {
                return inner.parameters().stream().map(p -> new Parameter(p.name(), p.value())).toList();
            }
        };
    }

    private static NeuronModelContract contractFor(Defect defect) {
        return new NeuronModelContract() {
            @Override
            protected NeuronModel createNeuron(SurrogateFunction surrogate) {
                return new LeakyNeuron(surrogate, DataType.FLOAT, defect);
            }

            @Override
            protected NeuronModel createNeuron(SurrogateFunction surrogate, DataType parameterType) {
                NeuronModel neuron = new LeakyNeuron(surrogate, parameterType, defect);
                return defect == Defect.NEW_PARAMETERS_EACH_CALL ? newParametersEachCall(neuron) : neuron;
            }

            @Override
            protected Optional<NeuronModel> smoothNeuron(DoubleUnaryOperator spike, SurrogateFunction slope) {
                return Optional.of(new LeakyNeuron(slope, DataType.DOUBLE, defect).withSmoothSpike(spike));
            }
        };
    }

    private static void assertCaught(Executable check, String expectedInMessage) {
        AssertionFailedError failure = assertThrows(AssertionFailedError.class, check);
        assertTrue(failure.getMessage().contains(expectedInMessage),
                () -> "failed for another reason than expected: " + failure.getMessage());
    }

    @Test
    void theCorrectNeuronPasses() {
        NeuronModelContract contract = contractFor(Defect.NONE);
        contract.parametersHaveUniqueNamesTypesAndStayTheSame();
        contract.backwardAddsToParameterGradients();
        contract.inputGradientMatchesFiniteDifferencesThroughTime();
        contract.parameterGradientsMatchFiniteDifferencesThroughTime();
    }

    @Test
    void aWrongParameterGradientIsCaught() {
        assertCaught(contractFor(Defect.WRONG_LEAK_GRADIENT)::parameterGradientsMatchFiniteDifferencesThroughTime,
                "dL/dleak[0]");
    }

    @Test
    void aWrongGradientThroughTimeIsCaught() {
        assertCaught(contractFor(Defect.WRONG_POTENTIAL_GRADIENT)::inputGradientMatchesFiniteDifferencesThroughTime,
                "dL/dcurrent");
    }

    @Test
    void replacingTheGradientIsCaught() {
        assertCaught(contractFor(Defect.REPLACES_GRADIENT)::backwardAddsToParameterGradients, "must add");
    }

    @Test
    void newParameterObjectsAreCaught() {
        assertCaught(contractFor(Defect.NEW_PARAMETERS_EACH_CALL)::parametersHaveUniqueNamesTypesAndStayTheSame,
                "same objects");
    }
}
