package io.spikeforge.engine.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.engine.gradcheck.GradientCheckResult;
import java.util.Arrays;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Seeded test arrays, comparisons and an allocation probe for the layer tests. */
final class TestTensors {
    private TestTensors() {
    }

    /** Standard normal entries in double, from {@code seed}. */
    static INDArray normal(long seed, long... shape) {
        Random random = new Random(seed);
        double[] values = new double[Math.toIntExact(Arrays.stream(shape).reduce(1, (a, b) -> a * b))];
        Arrays.setAll(values, i -> random.nextGaussian());
        return Nd4j.create(values, shape, DataType.DOUBLE);
    }

    /** Entries uniform in [low, high) in double, from {@code seed}. */
    static INDArray uniform(long seed, double low, double high, long... shape) {
        Random random = new Random(seed);
        double[] values = new double[Math.toIntExact(Arrays.stream(shape).reduce(1, (a, b) -> a * b))];
        Arrays.setAll(values, i -> low + (high - low) * random.nextDouble());
        return Nd4j.create(values, shape, DataType.DOUBLE);
    }

    /** Same shape and every entry within {@code tolerance * max(1, |expected|)}. */
    static void assertClose(INDArray expected, INDArray actual, double tolerance) {
        assertArrayEquals(expected.shape(), actual.shape(), "shape");
        INDArray e = expected.castTo(DataType.DOUBLE);
        INDArray a = actual.castTo(DataType.DOUBLE);
        for (long i = 0; i < e.length(); i++) {
            double want = e.getDouble(i);
            double got = a.getDouble(i);
            double allowed = tolerance * Math.max(1, Math.abs(want));
            if (!(Math.abs(want - got) <= allowed)) {
                throw new AssertionError("entry " + i + ": expected " + want + " but got " + got + " (tolerance "
                        + allowed + ")");
            }
        }
    }

    static void assertPassed(GradientCheckResult result) {
        assertTrue(result.passed(), result::summary);
    }

    /**
     * Bytes that ND4J arrays created by {@code action} take: the action runs inside a fresh
     * workspace, where every array created on this thread is placed.
     */
    static long bytesAllocatedDuring(Runnable action) {
        WorkspaceConfiguration configuration = WorkspaceConfiguration.builder()
                .initialSize(1 << 20)
                .policyAllocation(AllocationPolicy.STRICT)
                .policyLearning(LearningPolicy.NONE)
                .build();
        try (MemoryWorkspace probe = Nd4j.getWorkspaceManager().getAndActivateWorkspace(configuration,
                "allocation-probe-" + System.nanoTime())) {
            action.run();
            return probe.getPrimaryOffset();
        }
    }
}
