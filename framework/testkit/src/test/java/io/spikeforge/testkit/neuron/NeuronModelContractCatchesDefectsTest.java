package io.spikeforge.testkit.neuron;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.neuron.ChannelAffine;
import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.api.neuron.NeuronSteps;
import io.spikeforge.api.neuron.SurrogateFunction;
import io.spikeforge.testkit.neuron.NonLeakyTestNeuron.Defect;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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

    /**
     * A neuron that takes a channel affine input by mapping the current itself, in float; with a
     * defect, it reads the channel of element i wrongly, or returns the gradient with respect to the
     * unmapped current.
     */
    private static NeuronModelContract channelAffineContract(boolean wrongChannel, boolean unmappedGradient) {
        return new NeuronModelContract() {
            @Override
            protected NeuronModel createNeuron(SurrogateFunction surrogate) {
                return new ForwardingNeuronModel(LifTestNeuron.builder().optSurrogate(surrogate).build()) {
                    private float[] scale;
                    private int channels;

                    @Override
                    public boolean acceptsChannelAffine(DataType type) {
                        return type == DataType.FLOAT;
                    }

                    @Override
                    public INDArray forward(INDArray current, ChannelAffine affine, int timeSteps, boolean training) {
                        if (!acceptsChannelAffine(current.dataType())) {
                            throw new UnsupportedOperationException("FLOAT only");
                        }
                        float[] values = current.dup('c').data().asFloat();
                        channels = affine.channels();
                        scale = affine.scale();
                        for (int i = 0; i < values.length; i++) {
                            int c = wrongChannel ? i / channels % channels : i % channels;
                            values[i] = values[i] * affine.scale()[c] + affine.shift()[c];
                        }
                        return forward(Nd4j.createFromArray(values).reshape('c', current.shape()), timeSteps, training);
                    }

                    @Override
                    public INDArray backward(INDArray gradSpikes) {
                        INDArray gradient = super.backward(gradSpikes);
                        if (unmappedGradient && scale != null) {
                            float[] values = gradient.dup('c').data().asFloat();
                            for (int i = 0; i < values.length; i++) {
                                values[i] *= scale[i % channels];
                            }
                            return Nd4j.createFromArray(values).reshape('c', gradient.shape());
                        }
                        return gradient;
                    }
                };
            }
        };
    }

    @Test
    void aChannelAffineInputMappedAsTheContractSaysPasses() {
        channelAffineContract(false, false).channelAffineInputEqualsMappedCurrent();
        channelAffineContract(false, false).channelAffineInputIsRefusedWhereNotAccepted();
    }

    @Test
    void aChannelAffineInputOnTheWrongChannelsIsCaught() {
        assertCaught(channelAffineContract(true, false)::channelAffineInputEqualsMappedCurrent,
                "of the channel affine input");
    }

    @Test
    void aGradientWithRespectToTheUnmappedCurrentIsCaught() {
        assertCaught(channelAffineContract(false, true)::channelAffineInputEqualsMappedCurrent,
                "input gradients of the channel affine input");
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
