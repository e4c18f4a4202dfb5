package io.spikeforge.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
    @Test
    void multiStepDecaysAtEachMilestoneAsPyTorch() {
        LearningRateSchedule s = LearningRateSchedule.multiStep(0.05, new int[] {60, 120, 160}, 0.1);
        assertEquals(0.05, s.rate(0), 1e-15);
        assertEquals(0.05, s.rate(59), 1e-15);
        assertEquals(0.005, s.rate(60), 1e-15);
        assertEquals(0.0005, s.rate(120), 1e-15);
        assertEquals(0.00005, s.rate(199), 1e-15);
    }

    @Test
    void stepDecaysEveryNEpochs() {
        LearningRateSchedule s = LearningRateSchedule.step(0.1, 20, 0.5);
        assertEquals(0.1, s.rate(19), 1e-15);
        assertEquals(0.05, s.rate(20), 1e-15);
        assertEquals(0.025, s.rate(45), 1e-15);
    }

    @Test
    void cosineAnnealsFromBaseToMinimum() {
        LearningRateSchedule s = LearningRateSchedule.cosine(0.1, 0.001, 100);
        assertEquals(0.1, s.rate(0), 1e-15);
        assertEquals(0.001 + 0.099 / 2, s.rate(50), 1e-15);
        assertEquals(0.001, s.rate(100), 1e-15);
        assertEquals(0.001 + 0.099 * (1 + Math.cos(Math.PI * 0.25)) / 2, s.rate(25), 1e-15);
    }

    @Test
    void constantIsConstantAndBadSettingsAreRejected() {
        assertEquals(0.3, LearningRateSchedule.constant(0.3).rate(1000));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.multiStep(0.1, new int[] {60, 30}, 0.1));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.step(0.1, 0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.constant(0));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosine(0.1, 0.2, 10));
    }
}
