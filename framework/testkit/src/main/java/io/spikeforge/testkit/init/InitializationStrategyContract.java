package io.spikeforge.testkit.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.spikeforge.api.init.InitializationReport;
import io.spikeforge.api.init.InitializationStrategy;
import io.spikeforge.api.init.TensorTransfer;
import io.spikeforge.api.model.StateDict;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The checks every {@link InitializationStrategy} must pass. Extend it in a test class, implement
 * {@link #createStrategy()} and {@link #createModels()} ({@link CifarResNet} builds suitable
 * models in a few lines), and override {@link #createIncompatibleModels()} if the default
 * kernel-size mismatch does not apply to the strategy.
 *
 * <p>Checks: the teacher's tensors are unchanged; the report names every student tensor exactly
 * once, either as transferred or as untouched with a reason; each transfer names existing tensors
 * with their actual shapes; untouched tensors keep their values and transferred ones are finite;
 * two fresh students initialized from the same teacher are equal; an impossible pair throws
 * {@link IllegalArgumentException}.
 */
public abstract class InitializationStrategyContract {
    /** The strategy under test. Called once or more per check. */
    protected abstract InitializationStrategy createStrategy();

    /**
     * A teacher and a student the strategy can map. Each call must build new arrays holding the
     * same values (for example with {@link CifarResNet.Builder#seed(long)} fixed), so that
     * determinism can be checked on two fresh students.
     */
    protected abstract ModelPair createModels();

    /**
     * A pair the strategy must refuse with {@link IllegalArgumentException}, or empty when the
     * strategy accepts every pair. The default is two one-block-per-stage ResNets whose
     * convolutions have 3x3 kernels in the teacher and 5x5 kernels in the student.
     */
    protected Optional<ModelPair> createIncompatibleModels() {
        CifarResNet.Builder models = CifarResNet.builder().blocksPerStage(1, 1).widths(4, 8).seed(11);
        return Optional.of(new ModelPair(models.architecture("teacher-3x3").kernelSize(3).build(),
                models.architecture("student-5x5").kernelSize(5).build()));
    }

    @Test
    public void modelFactoryReturnsFreshModelsWithEqualValues() {
        ModelPair first = createModels();
        ModelPair second = createModels();
        for (String role : new String[] {"teacher", "student"}) {
            StateDict a = role.equals("teacher") ? first.teacher().state() : first.student().state();
            StateDict b = role.equals("teacher") ? second.teacher().state() : second.student().state();
            assertEquals(a.names(), b.names(), "createModels() gave " + role + "s with different tensor names");
            for (String name : a.names()) {
                assertNotSame(a.get(name), b.get(name),
                        "createModels() returned the same array twice for " + role + " tensor '" + name + "'; build new arrays");
            }
            assertSameValues(a, b, "createModels() must give equal values on every call, but the " + role + "s differ");
        }
    }

    @Test
    public void leavesTheTeacherUnchanged() {
        ModelPair models = createModels();
        StateDict before = models.teacher().copyOfState();
        initialize(createStrategy(), models);
        assertEquals(before.names(), models.teacher().state().names(), "the teacher's tensor names changed");
        assertSameValues(before, models.teacher().state(), "initialize modified the teacher");
    }

    @Test
    public void reportNamesEveryStudentTensorExactlyOnce() {
        ModelPair models = createModels();
        InitializationReport report = initialize(createStrategy(), models);
        Set<String> studentTensors = models.student().state().names();
        Set<String> transferred = new HashSet<>();
        for (TensorTransfer transfer : report.transfers()) {
            assertTrue(studentTensors.contains(transfer.studentTensor()),
                    () -> "the report transfers '" + transfer.studentTensor() + "', which the student does not have");
            assertTrue(transferred.add(transfer.studentTensor()),
                    () -> "the report transfers '" + transfer.studentTensor() + "' twice");
            assertFalse(report.untouched().containsKey(transfer.studentTensor()),
                    () -> "the report lists '" + transfer.studentTensor() + "' both as transferred and as untouched");
            assertFalse(transfer.method().isBlank(), () -> "no method given for '" + transfer.studentTensor() + "'");
        }
        report.untouched().forEach((name, reason) -> {
            assertTrue(studentTensors.contains(name), () -> "the report leaves '" + name + "' untouched, which the student does not have");
            assertFalse(reason == null || reason.isBlank(), () -> "no reason given for leaving '" + name + "' untouched");
        });
        Set<String> missing = new TreeSet<>(studentTensors);
        missing.removeAll(transferred);
        missing.removeAll(report.untouched().keySet());
        assertTrue(missing.isEmpty(), () -> "the report does not mention the student tensors " + missing);
    }

    @Test
    public void transfersNameExistingTensorsWithTheirShapes() {
        ModelPair models = createModels();
        InitializationReport report = initialize(createStrategy(), models);
        StateDict teacher = models.teacher().state();
        StateDict student = models.student().state();
        for (TensorTransfer transfer : report.transfers()) {
            assertTrue(teacher.contains(transfer.teacherTensor()),
                    () -> "'" + transfer.studentTensor() + "' is reported to come from '" + transfer.teacherTensor()
                            + "', which the teacher does not have");
            assertArrayEquals(student.get(transfer.studentTensor()).shape(), transfer.studentShape(),
                    () -> "reported student shape of '" + transfer.studentTensor() + "'");
            assertArrayEquals(teacher.get(transfer.teacherTensor()).shape(), transfer.teacherShape(),
                    () -> "reported teacher shape of '" + transfer.teacherTensor() + "'");
        }
    }

    @Test
    public void untouchedTensorsKeepTheirValuesAndTransferredOnesAreFinite() {
        ModelPair models = createModels();
        StateDict before = models.student().copyOfState();
        InitializationReport report = initialize(createStrategy(), models);
        StateDict after = models.student().state();
        for (String name : report.untouched().keySet()) {
            assertArrayEquals(values(before.get(name)), values(after.get(name)),
                    () -> "'" + name + "' is reported untouched but its values changed");
        }
        for (TensorTransfer transfer : report.transfers()) {
            double[] written = values(after.get(transfer.studentTensor()));
            for (int i = 0; i < written.length; i++) {
                if (!Double.isFinite(written[i])) {
                    fail("'" + transfer.studentTensor() + "' holds " + written[i] + " at flat index " + i);
                }
            }
        }
    }

    @Test
    public void isDeterministic() {
        ModelPair first = createModels();
        ModelPair second = createModels();
        InitializationReport firstReport = initialize(createStrategy(), first);
        InitializationReport secondReport = initialize(createStrategy(), second);
        assertSameValues(first.student().state(), second.student().state(),
                "two equal students initialized from equal teachers differ");
        assertEquals(firstReport, secondReport, "two initializations of equal models gave different reports");
    }

    @Test
    public void rejectsAnImpossiblePair() {
        Optional<ModelPair> incompatible = createIncompatibleModels();
        Assumptions.assumeTrue(incompatible.isPresent(), "the strategy accepts every pair of models");
        ModelPair models = incompatible.get();
        InitializationStrategy strategy = createStrategy();
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> strategy.initialize(models.teacher().structure(), models.teacher().state(), models.student().structure(),
                        models.student().state()),
                "initializing " + models.student().structure().architecture() + " from "
                        + models.teacher().structure().architecture() + " must throw IllegalArgumentException");
        assertFalse(error.getMessage() == null || error.getMessage().isBlank(), "the IllegalArgumentException has no message");
    }

    private static InitializationReport initialize(InitializationStrategy strategy, ModelPair models) {
        InitializationReport report = strategy.initialize(models.teacher().structure(), models.teacher().state(),
                models.student().structure(), models.student().state());
        assertNotNull(report, "initialize returned no report");
        return report;
    }

    private static void assertSameValues(StateDict expected, StateDict actual, String message) {
        for (String name : expected.names()) {
            INDArray e = expected.get(name);
            INDArray a = actual.get(name);
            if (!Arrays.equals(e.shape(), a.shape()) || !Arrays.equals(values(e), values(a))) {
                fail(message + ": tensor '" + name + "' differs");
            }
        }
    }

    private static double[] values(INDArray array) {
        return array.castTo(DataType.DOUBLE).dup('c').reshape(array.length()).toDoubleVector();
    }
}
