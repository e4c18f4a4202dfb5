package io.spikeforge.runner.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.runner.sweep.Arm;
import io.spikeforge.runner.sweep.ArmState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** Rows over constructed curves: the grouping statistics and the convergence question. */
class ReportRowTest {
    private static ArmResult arm(int index, String name, double... accuracy) {
        List<Integer> epochs = java.util.stream.IntStream.range(0, accuracy.length).boxed().toList();
        List<Double> values = java.util.Arrays.stream(accuracy).boxed().toList();
        List<Double> loss = values.stream().map(a -> (100 - a) / 50).toList();
        return new ArmResult(new Arm(index, name, Map.of()), ArmState.FINISHED, Optional.of("student"),
                new ArmResult.Curve(epochs, values, loss), 10.0 * index, Double.NaN, Double.NaN, Map.of());
    }

    @Test
    void aRowReachesTheBaselinesFinalAccuracyAtTheFirstEpochOfItsMeanCurve() {
        // the baseline's seeds end at 30 and 40: its mean final accuracy 35, first reached by its mean curve
        // (10, 20, 25, 35) at epoch 3
        ReportRow baseline = ReportRow.of("baseline", ArmState.FINISHED,
                List.of(arm(0, "baseline,seed=1", 10, 15, 20, 30), arm(1, "baseline,seed=2", 10, 25, 30, 40)), "");
        assertEquals(35, baseline.finalAccuracy().mean(), 1e-12);
        assertEquals(Math.sqrt(50), baseline.finalAccuracy().std(), 1e-12);
        assertEquals(List.of(10.0, 20.0, 25.0, 35.0), baseline.curve().mean().accuracy());
        // IDSNN's mean curve (20, 30, 36, 50) reaches 35 at epoch 2, though one seed alone reaches it at epoch 1
        ReportRow idsnn = ReportRow.of("idsnn", ArmState.FINISHED,
                List.of(arm(2, "idsnn,seed=1", 20, 36, 36, 50), arm(3, "idsnn,seed=2", 20, 24, 36, 50)), "");
        // a row that never gets there
        ReportRow slow = ReportRow.of("slow", ArmState.FINISHED, List.of(arm(4, "slow", 5, 10, 20, 34.9)), "");

        ReportRow timed = idsnn.withEpochs(OptionalDouble.of(30), Optional.of(baseline));
        assertEquals(Optional.of(2), timed.convergenceEpoch());
        assertEquals(2.0 / 3.0, timed.convergenceRatio().getAsDouble(), 1e-12);
        assertEquals(Optional.of(1), timed.targetEpoch(), "the mean curve reaches 30 at epoch 1");
        ReportRow self = baseline.withEpochs(OptionalDouble.empty(), Optional.of(baseline));
        assertEquals(Optional.of(3), self.convergenceEpoch());
        assertEquals(1.0, self.convergenceRatio().getAsDouble());
        assertEquals(Optional.empty(), self.targetEpoch(), "no target asked");
        ReportRow never = slow.withEpochs(OptionalDouble.of(99), Optional.of(baseline));
        assertTrue(never.convergenceEpoch().isEmpty());
        assertTrue(never.convergenceRatio().isEmpty());
        assertTrue(never.targetEpoch().isEmpty());
        assertEquals(25, idsnn.trainSeconds().mean(), 1e-12, "the mean of 20 and 30 seconds");
        assertEquals(1, slow.finalAccuracy().n());
        assertTrue(Double.isNaN(slow.finalAccuracy().std()), "no deviation of one value");
    }

    @Test
    void anArmsSeedIsLeftOutOfItsGroupsName() {
        assertEquals("idsnn", SweepReport.groupName(new Arm(0, "idsnn,seed=2", Map.of("experiment.seed", "2"))));
        assertEquals("lr=0.1,decay=20", SweepReport.groupName(new Arm(1, "lr=0.1,experiment.seed=3,decay=20",
                Map.of())));
        assertEquals("training.epochs=3", SweepReport.groupName(new Arm(2, "seed=1",
                new java.util.LinkedHashMap<>(Map.of("training.epochs", "3", "experiment.seed", "1")))));
        assertEquals("base", SweepReport.groupName(new Arm(3, "seed=1", Map.of("seed", "1"))));
    }
}
