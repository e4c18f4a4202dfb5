package io.spikeforge.testkit.convert;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spikeforge.api.convert.ThresholdStrategy;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.opentest4j.AssertionFailedError;

/** Each check of the contract fails for a strategy with the fault it is meant to catch. */
class ThresholdStrategyContractRejectsBrokenStrategiesTest {
    private final LayerMaximum correct = new LayerMaximum();

    @Test
    void oneThresholdForEveryLayerFailsTheCountCheckPerChannel() {
        assertFails(contract(layer -> Nd4j.createFromArray(correct.thresholds(layer).maxNumber().doubleValue()))
                ::returnsOneThresholdPerLayerOrChannel);
    }

    @Test
    void singlePrecisionThresholdsFailTheCountAndTypeCheck() {
        assertFails(contract(layer -> correct.thresholds(layer).castTo(DataType.FLOAT))::returnsOneThresholdPerLayerOrChannel);
    }

    @Test
    void theSmallestActivationFailsThePositivityCheck() {
        assertFails(contract(layer -> Nd4j.valueArrayOf(new long[] {layer.thresholdCount()},
                layer.annActivations().minNumber().doubleValue(), DataType.DOUBLE))::thresholdsArePositiveAndFinite);
    }

    @Test
    void randomNoiseFailsTheDeterminismCheck() {
        Random random = new Random();
        assertFails(contract(layer -> correct.thresholds(layer).muli(1 + 0.01 * random.nextDouble()))::isDeterministic);
    }

    @Test
    void shiftingTheActivationsInPlaceFailsTheNoModificationCheck() {
        assertFails(contract(layer -> {
            layer.annActivations().addi(1e-9);  // far below the tolerance of INDArray.equals
            return correct.thresholds(layer);
        })::doesNotModifyTheCalibration);
    }

    @Test
    void anOffsetFailsTheScaleCheck() {
        assertFails(contract(layer -> correct.thresholds(layer).addi(1))::scalesWithTheActivations);
    }

    @Test
    void aMaximumWithoutADeadChannelRuleFailsTheDeadChannelCheck() {
        ThresholdStrategy plainMax = layer -> {
            INDArray activations = layer.annActivations();
            return layer.thresholdCount() == 1 ? Nd4j.createFromArray(activations.maxNumber().doubleValue())
                    : activations.max(IntStream.range(0, activations.rank()).filter(d -> d != 1).toArray())
                            .castTo(DataType.DOUBLE);
        };
        assertFails(contract(plainMax)::survivesDeadChannelsAndLayers);
    }

    @Test
    void treatingFloatActivationsDifferentlyFailsThePrecisionCheck() {
        assertFails(contract(layer -> layer.annActivations().dataType() == DataType.FLOAT
                ? correct.thresholds(layer).muli(1.001) : correct.thresholds(layer))::acceptsSinglePrecisionActivations);
    }

    @Test
    void measuringWithThresholdsThatAreNotPositiveIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> contract(layer -> {
            layer.measure(Nd4j.zeros(DataType.DOUBLE, layer.thresholdCount()));
            return correct.thresholds(layer);
        }).thresholdsArePositiveAndFinite());
    }

    private static ThresholdStrategyContract contract(ThresholdStrategy strategy) {
        return new ThresholdStrategyContract() {
            @Override
            protected ThresholdStrategy createStrategy() {
                return strategy;
            }
        };
    }

    private static void assertFails(Executable check) {
        assertThrows(AssertionFailedError.class, check, "the contract accepted a strategy with the fault");
    }
}
