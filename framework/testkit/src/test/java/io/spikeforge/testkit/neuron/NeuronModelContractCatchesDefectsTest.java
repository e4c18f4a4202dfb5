package io.spikeforge.testkit.neuron;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.api.neuron.NeuronSteps;
import io.spikeforge.api.neuron.SurrogateFunction;
import io.spikeforge.testkit.neuron.NonLeakyTestNeuron.Defect;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.opentest4j.AssertionFailedError;

/** Each deliberately broken neuron fails the contract check meant to catch its defect. */
class NeuronModelContractCatchesDefectsTest {
    private static NeuronModelContract contractFor(Defect defect) {
        return new NeuronModelContract() {
            @Override
            protected NeuronModel createNeuron(SurrogateFunction surrogate) {
                return new NonLeakyTestNeuron(surrogate, defect);
            }

            @Override
            protected Optional<ScalarNeuronReference> scalarReference(SurrogateFunction surrogate) {
                return Optional.of(new NonLeakyNeuronReference(surrogate));
            }
        };
    }

    /** The check fails, and its message shows it failed for the defect's reason. */
    private static void assertCaught(Executable check, String expectedInMessage) {
        AssertionFailedError failure = assertThrows(AssertionFailedError.class, check);
        assertTrue(failure.getMessage().contains(expectedInMessage),
                () -> "failed for another reason than expected: " + failure.getMessage());
    }

    @Test
    void crossTalkBetweenSamplesIsCaught() {
        assertCaught(contractFor(Defect.MIXES_BATCH)::batchElementsAreIndependent, "permuted");
    }

    @Test
    void lookingAheadInTimeIsCaught() {
        assertCaught(contractFor(Defect.PEEKS_AHEAD)::forwardIsCausal, "before step");
    }

    @Test
    void gradientFromEarlierStepsIsCaught() {
        assertCaught(contractFor(Defect.GRADIENT_FROM_EARLIER_STEP)::backwardIsCausal, "dL/dspikes is zero from step");
    }

    @Test
    void missingRecurrentGradientIsCaughtByTheReference() {
        assertCaught(contractFor(Defect.DROPS_RECURRENCE)::matchesScalarReference, "differs from the reference");
    }

    @Test
    void nonlinearBackwardIsCaught() {
        assertCaught(contractFor(Defect.NONLINEAR_BACKWARD)::backwardIsLinearInGradSpikes, "backward(a*g1 + b*g2)");
    }

    @Test
    void backwardWithoutForwardThatDoesNotThrowIsCaught() {
        assertCaught(contractFor(Defect.NO_STATE_CHECK)::backwardWithoutTrainingForwardThrows, "must throw IllegalStateException");
    }

    @Test
    void wrongDataTypeIsCaught() {
        assertCaught(contractFor(Defect.ALWAYS_DOUBLE)::outputHasInputShapeAndType, "have type");
    }

    @Test
    void modifiedInputIsCaught() {
        assertCaught(contractFor(Defect.MUTATES_INPUT)::inputsAreNotModified, "current after forward");
    }

    @Test
    void aStepperThatForgetsItsStateIsCaught() {
        NeuronModelContract contract = new NeuronModelContract() {
            @Override
            protected NeuronModel createNeuron(SurrogateFunction surrogate) {
                NeuronModel inner = LifTestNeuron.builder().optDecay(1).build();
                return new ForwardingNeuronModel(inner) {
                    /** Every step starts from the initial state: the potential is not carried. */
                    @Override
                    public Optional<NeuronSteps> startSteps() {
                        return Optional.of(new NeuronSteps() {
                            private int taken;

                            @Override
                            public INDArray step(INDArray current) {
                                taken++;
                                return inner.startSteps().orElseThrow().step(current);
                            }

                            @Override
                            public int stepsTaken() {
                                return taken;
                            }
                        });
                    }
                };
            }
        };
        assertCaught(contract::singleStepsEqualInferenceForward, "single steps vs an inference forward");
    }
}
