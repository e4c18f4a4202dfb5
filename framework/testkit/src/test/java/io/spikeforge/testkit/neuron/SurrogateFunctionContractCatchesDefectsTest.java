package io.spikeforge.testkit.neuron;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.neuron.SurrogateFunction;
import io.spikeforge.testkit.neuron.DefectiveSurrogate.Defect;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.opentest4j.AssertionFailedError;

/** Each deliberately broken surrogate fails the contract check meant to catch its defect. */
class SurrogateFunctionContractCatchesDefectsTest {
    /** The contract run on one defective surrogate, declared symmetric like the triangle it breaks. */
    private static SurrogateFunctionContract contractFor(Defect defect) {
        return new SurrogateFunctionContract() {
            @Override
            protected List<SurrogateFunction> surrogates() {
                return List.of(new DefectiveSurrogate(defect));
            }

            @Override
            protected boolean symmetric() {
                return true;
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
    void arrayFormThatDisagreesWithScalarFormIsCaught() {
        assertCaught(contractFor(Defect.ARRAY_FORM_DOUBLED)::arrayFormMatchesScalarForm, "the array form gives");
    }

    @Test
    void areaOtherThanOneIsCaught() {
        assertCaught(contractFor(Defect.HALF_AREA)::derivativeIntegratesToOne, "must be 1");
    }

    @Test
    void modifiedInputIsCaught() {
        assertCaught(contractFor(Defect.MUTATES_INPUT)::arrayFormLeavesInputUnchanged, "modified u");
    }

    @Test
    void brokenInPlaceEvaluationIsCaught() {
        assertCaught(contractFor(Defect.BROKEN_IN_PLACE)::arrayFormWorksInPlace, "in place");
    }

    @Test
    void asymmetryIsCaughtWhenSymmetryIsDeclared() {
        assertCaught(contractFor(Defect.SHIFTED)::derivativeIsSymmetricWhenDeclared, "declared symmetric");
    }

    @Test
    void negativeValuesAreCaught() {
        assertCaught(contractFor(Defect.NEGATIVE_TAILS)::derivativeIsNonNegativeAndFinite, "must be finite and >= 0");
    }

    @Test
    void noGradientAtThresholdIsCaught() {
        assertCaught(contractFor(Defect.ZERO_AT_THRESHOLD)::derivativeIsPositiveAtThreshold, "derivative(0) must be positive");
    }

    @Test
    void ignoringStridesIsCaught() {
        assertCaught(contractFor(Defect.IGNORES_STRIDES)::arrayFormWorksOnViews, "view");
    }

    @Test
    void ignoringTheOutputsOrderIsCaught() {
        assertCaught(contractFor(Defect.WRITES_C_ORDER)::arrayFormWorksOnEveryLayout, "order");
    }
}
