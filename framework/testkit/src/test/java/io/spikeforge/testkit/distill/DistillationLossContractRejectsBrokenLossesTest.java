package io.spikeforge.testkit.distill;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spikeforge.api.distill.DistillationLoss;
import io.spikeforge.api.distill.LossValue;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** Each check of the contract fails for a loss with the fault it is meant to catch. */
class DistillationLossContractRejectsBrokenLossesTest {
    private final SoftmaxCrossEntropy correct = new SoftmaxCrossEntropy(true);

    @Test
    void gradientOffByAFactorFailsTheFiniteDifferenceCheck() {
        DistillationLoss doubled = (s, t, y) -> {
            LossValue v = correct.compute(s, t, y);
            return new LossValue(v.value(), v.gradient().mul(2), v.terms());
        };
        assertFails(contract(doubled)::gradientMatchesCentralFiniteDifferences);
    }

    @Test
    void transposedGradientFailsTheShapeCheck() {
        DistillationLoss transposed = (s, t, y) -> {
            LossValue v = correct.compute(s, t, y);
            return new LossValue(v.value(), v.gradient().transpose().dup(), v.terms());
        };
        assertFails(contract(transposed)::gradientHasTheLogitsShapeAndTheValueIsFinite);
    }

    @Test
    void naiveSoftmaxFailsTheLargeLogitCheck() {
        assertFails(contract(new SoftmaxCrossEntropy(false))::staysFiniteForLargeLogits);
    }

    @Test
    void termsThatMissPartOfTheValueFail() {
        DistillationLoss halfReported = (s, t, y) -> {
            LossValue v = correct.compute(s, t, y);
            return new LossValue(v.value(), v.gradient(), Map.of("ce", v.value() / 2));
        };
        assertFails(contract(halfReported)::termsAddUpToTheValue);
    }

    @Test
    void scalingTheStudentLogitsInPlaceFailsTheNoModificationCheck() {
        DistillationLoss mutating = (s, t, y) -> {
            LossValue v = correct.compute(s, t, y);
            s.muli(1.5);
            return v;
        };
        assertFails(contract(mutating)::doesNotModifyItsInputs);
    }

    @Test
    void overwritingALabelFailsTheNoModificationCheck() {
        DistillationLoss mutating = (s, t, y) -> {
            LossValue v = correct.compute(s, t, y);
            y[0] = (y[0] + 1) % (int) s.size(1);
            return v;
        };
        assertFails(contract(mutating)::doesNotModifyItsInputs);
    }

    @Test
    void noiseInTheValueFailsTheDeterminismCheck() {
        Random noise = new Random(1);
        DistillationLoss noisy = (s, t, y) -> {
            LossValue v = correct.compute(s, t, y);
            return new LossValue(v.value() + 1e-9 * noise.nextGaussian(), v.gradient(), Map.of());
        };
        assertFails(contract(noisy)::isDeterministic);
    }

    @Test
    void aLossOnRawLogitsFailsTheShiftCheckUnlessItOptsOut() {
        DistillationLoss squared = (s, t, y) -> {
            correct.compute(s, t, y);
            INDArray logits = s.castTo(DataType.DOUBLE);
            double value = 0.5 * logits.mul(logits).sumNumber().doubleValue() / s.size(0);
            return new LossValue(value, logits.div(s.size(0)).castTo(s.dataType()), Map.of());
        };
        assertFails(contract(squared)::addingARowConstantToBothLogitsChangesNothing);

        DistillationLossContract optedOut = new DistillationLossContract() {
            @Override
            protected DistillationLoss createLoss() {
                return squared;
            }

            @Override
            protected boolean isShiftInvariant() {
                return false;
            }
        };
        assertThrows(TestAbortedException.class, optedOut::addingARowConstantToBothLogitsChangesNothing);
    }

    @Test
    void computingInSinglePrecisionFailsTheFiniteDifferenceCheck() {
        DistillationLoss single = (s, t, y) -> {
            LossValue v = correct.compute(s.castTo(DataType.FLOAT), t.castTo(DataType.FLOAT), y);
            return new LossValue((float) v.value(), v.gradient().castTo(s.dataType()), Map.of());
        };
        assertFails(contract(single)::gradientMatchesCentralFiniteDifferences);
    }

    @Test
    void ignoringTheTeacherShapeFailsTheShapeValidationCheck() {
        DistillationLoss unchecked = (s, t, y) -> correct.compute(s, s, y);
        assertFails(contract(unchecked)::rejectsTeacherLogitsOfAnotherShape);
    }

    @Test
    void labelErrorsOtherThanIllegalArgumentFailTheLabelChecks() {
        DistillationLoss wrongException = (s, t, y) -> {
            if (y.length != s.size(0) || Arrays.stream(y).anyMatch(l -> l < 0 || l >= s.size(1))) {
                throw new IllegalStateException("bad labels");
            }
            return correct.compute(s, t, y);
        };
        assertFails(contract(wrongException)::rejectsLabelsOfTheWrongLength);
        assertFails(contract(wrongException)::rejectsLabelsOutsideTheClassRange);
    }

    private static DistillationLossContract contract(DistillationLoss loss) {
        return new DistillationLossContract() {
            @Override
            protected DistillationLoss createLoss() {
                return loss;
            }
        };
    }

    private static void assertFails(Executable check) {
        assertThrows(AssertionFailedError.class, check, "the contract accepted a loss with the fault");
    }
}
