package io.spikeforge.testkit.activation;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spikeforge.api.activation.AnnActivation;
import io.spikeforge.api.model.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.opentest4j.AssertionFailedError;

/** Each check of the contract fails for an activation with the fault it is meant to catch. */
class AnnActivationContractCatchesDefectsTest {
    @Test
    void aWrongInputGradientFailsTheFiniteDifferenceCheck() {
        assertFails(contract(inner -> new Delegating(inner) {
            @Override
            public INDArray backward(INDArray gradOutput) {
                return super.backward(gradOutput).mul(1.01);
            }
        })::inputGradientMatchesFiniteDifferences);
    }

    @Test
    void aWrongParameterGradientFailsTheFiniteDifferenceCheck() {
        assertFails(contract(inner -> new Delegating(inner) {
            @Override
            public INDArray backward(INDArray gradOutput) {
                INDArray result = super.backward(gradOutput);
                parameters().get(0).gradient().muli(-1);
                return result;
            }
        })::parameterGradientsMatchFiniteDifferences);
    }

    @Test
    void replacingTheParameterGradientFailsTheAccumulationCheck() {
        assertFails(contract(inner -> new Delegating(inner) {
            @Override
            public INDArray backward(INDArray gradOutput) {
                parameters().forEach(Parameter::zeroGradient);
                return super.backward(gradOutput);
            }
        })::backwardAddsToParameterGradients);
    }

    @Test
    void aReferenceThatIsNotTheForwardPassFails() {
        AnnActivationContract contract = new AnnActivationContract() {
            @Override
            protected AnnActivation createActivation(int channels, DataType dataType) {
                return new SoftClipTestActivation(channels, 1.5, dataType);
            }

            @Override
            protected GradientReference gradientReference(AnnActivation activation, INDArray input) {
                return (x, parameters) -> x.dup();
            }
        };
        assertFails(contract::gradientReferenceEqualsTheForwardPassAtThePoint);
    }

    @Test
    void newParameterObjectsOnEachCallFail() {
        assertFails(contract(inner -> new Delegating(inner) {
            @Override
            public List<Parameter> parameters() {
                List<Parameter> fresh = new ArrayList<>();
                super.parameters().forEach(p -> fresh.add(new Parameter(p.name(), p.value())));
                return fresh;
            }
        })::parametersHaveUniqueNamesAndStayTheSame);
    }

    @Test
    void repeatedParameterNamesFail() {
        assertFails(contract(inner -> new Delegating(inner) {
            private final List<Parameter> twice = List.of(inner.parameters().get(0),
                    new Parameter(inner.parameters().get(0).name(), inner.parameters().get(0).value().dup()));

            @Override
            public List<Parameter> parameters() {
                return twice;
            }
        })::parametersHaveUniqueNamesAndStayTheSame);
    }

    @Test
    void anOutputInAnotherDataTypeFails() {
        assertFails(contract(inner -> new Delegating(inner) {
            @Override
            public INDArray forward(INDArray input, boolean training) {
                return super.forward(input, training).castTo(DataType.DOUBLE);
            }
        })::shapesAndDataTypesFollowTheInput);
    }

    @Test
    void modifyingTheInputFails() {
        assertFails(contract(inner -> new Delegating(inner) {
            @Override
            public INDArray forward(INDArray input, boolean training) {
                INDArray output = super.forward(input, training);
                input.muli(0.5);
                return output;
            }
        })::doesNotModifyItsArguments);
    }

    @Test
    void aNonPositiveConversionThresholdFails() {
        assertFails(contract(inner -> new Delegating(inner) {
            @Override
            public OptionalDouble conversionThreshold() {
                return OptionalDouble.of(-1);
            }
        })::declaredConversionThresholdIsPositive);
    }

    @Test
    void aBackwardWithoutForwardThatPassesFails() {
        assertFails(contract(inner -> new Delegating(inner) {
            @Override
            public INDArray backward(INDArray gradOutput) {
                return gradOutput.dup();
            }
        })::backwardWithoutATrainingForwardThrows);
    }

    private static void assertFails(Executable check) {
        assertThrows(AssertionFailedError.class, check);
    }

    private static AnnActivationContract contract(Function<AnnActivation, AnnActivation> fault) {
        return new AnnActivationContract() {
            @Override
            protected AnnActivation createActivation(int channels, DataType dataType) {
                return fault.apply(new SoftClipTestActivation(channels, 1.5, dataType));
            }
        };
    }

    /** A correct activation, to override one behaviour of. */
    private static class Delegating implements AnnActivation {
        private final AnnActivation inner;

        Delegating(AnnActivation inner) {
            this.inner = inner;
        }

        @Override
        public INDArray forward(INDArray input, boolean training) {
            return inner.forward(input, training);
        }

        @Override
        public INDArray backward(INDArray gradOutput) {
            return inner.backward(gradOutput);
        }

        @Override
        public List<Parameter> parameters() {
            return inner.parameters();
        }
    }
}
