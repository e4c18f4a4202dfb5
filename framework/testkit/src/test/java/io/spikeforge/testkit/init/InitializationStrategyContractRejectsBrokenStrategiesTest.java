package io.spikeforge.testkit.init;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spikeforge.api.init.InitializationReport;
import io.spikeforge.api.init.InitializationStrategy;
import io.spikeforge.api.init.TensorTransfer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** Each check of the contract fails for a strategy (or model factory) with the fault it is meant to catch. */
class InitializationStrategyContractRejectsBrokenStrategiesTest {
    private final CopyMatchingTensors correct = new CopyMatchingTensors();

    @Test
    void writingIntoTheTeacherFailsTheTeacherCheck() {
        InitializationStrategy scribbler = (t, ts, s, ss) -> {
            InitializationReport report = correct.initialize(t, ts, s, ss);
            ts.get("bn1.running_var").addi(1.0);
            return report;
        };
        assertFails(contract(scribbler)::leavesTheTeacherUnchanged);
    }

    @Test
    void forgettingATensorFailsTheCompletenessCheck() {
        InitializationStrategy forgetful = (t, ts, s, ss) -> {
            InitializationReport report = correct.initialize(t, ts, s, ss);
            Map<String, String> untouched = new LinkedHashMap<>(report.untouched());
            untouched.remove(untouched.keySet().iterator().next());
            return new InitializationReport(report.transfers(), untouched);
        };
        assertFails(contract(forgetful)::reportNamesEveryStudentTensorExactlyOnce);
    }

    @Test
    void listingATensorTwiceFailsTheCompletenessCheck() {
        InitializationStrategy doubleEntry = (t, ts, s, ss) -> {
            InitializationReport report = correct.initialize(t, ts, s, ss);
            Map<String, String> untouched = new LinkedHashMap<>(report.untouched());
            untouched.put(report.transfers().get(0).studentTensor(), "also untouched");
            return new InitializationReport(report.transfers(), untouched);
        };
        assertFails(contract(doubleEntry)::reportNamesEveryStudentTensorExactlyOnce);
    }

    @Test
    void misreportedShapesFailTheShapeCheck() {
        InitializationStrategy swapped = (t, ts, s, ss) -> {
            InitializationReport report = correct.initialize(t, ts, s, ss);
            return new InitializationReport(report.transfers().stream()
                    .map(x -> new TensorTransfer(x.studentTensor(), x.teacherTensor(), new long[] {1}, x.teacherShape(), x.method()))
                    .toList(), report.untouched());
        };
        assertFails(contract(swapped)::transfersNameExistingTensorsWithTheirShapes);
    }

    @Test
    void changingAnUntouchedTensorFailsTheUntouchedCheck() {
        InitializationStrategy sneaky = (t, ts, s, ss) -> {
            InitializationReport report = correct.initialize(t, ts, s, ss);
            ss.get(report.untouched().keySet().iterator().next()).assign(0.0);
            return report;
        };
        assertFails(contract(sneaky)::untouchedTensorsKeepTheirValuesAndTransferredOnesAreFinite);
    }

    @Test
    void writingNaNFailsTheFinitenessCheck() {
        InitializationStrategy poisoned = (t, ts, s, ss) -> {
            InitializationReport report = correct.initialize(t, ts, s, ss);
            ss.get(report.transfers().get(0).studentTensor()).putScalar(0, Double.NaN);
            return report;
        };
        assertFails(contract(poisoned)::untouchedTensorsKeepTheirValuesAndTransferredOnesAreFinite);
    }

    @Test
    void randomNoiseFailsTheDeterminismCheck() {
        Random noise = new Random(3);
        InitializationStrategy noisy = (t, ts, s, ss) -> {
            InitializationReport report = correct.initialize(t, ts, s, ss);
            ss.get("conv1.weight").addi(noise.nextGaussian());
            return report;
        };
        assertFails(contract(noisy)::isDeterministic);
    }

    @Test
    void acceptingMismatchedKernelsFailsTheImpossiblePairCheck() {
        InitializationStrategy lenient = (t, ts, s, ss) -> {
            InitializationReport.Builder report = new InitializationReport.Builder();
            ss.names().forEach(name -> report.untouched(name, "ignored"));
            return report.build();
        };
        assertFails(contract(lenient)::rejectsAnImpossiblePair);
    }

    @Test
    void aStrategyThatAcceptsEveryPairCanOptOutOfTheImpossiblePairCheck() {
        InitializationStrategyContract optedOut = new InitializationStrategyContract() {
            @Override
            protected InitializationStrategy createStrategy() {
                return correct;
            }

            @Override
            protected ModelPair createModels() {
                return tinyPair();
            }

            @Override
            protected Optional<ModelPair> createIncompatibleModels() {
                return Optional.empty();
            }
        };
        assertThrows(TestAbortedException.class, optedOut::rejectsAnImpossiblePair);
    }

    @Test
    void aFactoryReturningTheSameArraysFailsTheFactoryCheck() {
        ModelPair shared = tinyPair();
        assertFails(contract(correct, () -> shared)::modelFactoryReturnsFreshModelsWithEqualValues);
    }

    @Test
    void anUnseededFactoryFailsTheFactoryCheck() {
        Supplier<ModelPair> unseeded = () -> {
            ModelPair pair = tinyPair();
            pair.student().state().get("fc.bias").assign(Nd4j.rand(DataType.FLOAT, 10));
            return pair;
        };
        assertFails(contract(correct, unseeded)::modelFactoryReturnsFreshModelsWithEqualValues);
    }

    /** Copying by name and shape transfers the stem and layer1 and leaves layer2 and fc (width 6, not 8) untouched. */
    private static ModelPair tinyPair() {
        return new ModelPair(CifarResNet.builder().blocksPerStage(2, 1).widths(4, 8).seed(5).build(),
                CifarResNet.builder().blocksPerStage(1, 1).widths(4, 6).seed(6).build());
    }

    private static InitializationStrategyContract contract(InitializationStrategy strategy) {
        return contract(strategy, InitializationStrategyContractRejectsBrokenStrategiesTest::tinyPair);
    }

    private static InitializationStrategyContract contract(InitializationStrategy strategy, Supplier<ModelPair> models) {
        return new InitializationStrategyContract() {
            @Override
            protected InitializationStrategy createStrategy() {
                return strategy;
            }

            @Override
            protected ModelPair createModels() {
                return models.get();
            }
        };
    }

    private static void assertFails(Executable check) {
        assertThrows(AssertionFailedError.class, check, "the contract accepted a strategy with the fault");
    }
}
