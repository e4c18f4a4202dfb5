package io.spikeforge.runner.config;

import java.util.List;

/** A {@code training.schedule} section: how the learning rate changes over epochs. */
public sealed interface ScheduleConfig
        permits ScheduleConfig.MultiStep, ScheduleConfig.Step, ScheduleConfig.Cosine, ScheduleConfig.Constant {

    /** The word that selects this schedule in YAML ({@code name: multistep}). */
    String name();

    /**
     * Multiply the rate by {@code gamma} at each milestone epoch.
     *
     * @param milestones strictly increasing epochs, each below the training's epochs
     * @param gamma factor in (0, 1]
     */
    record MultiStep(List<Integer> milestones, double gamma) implements ScheduleConfig {
        public MultiStep {
            milestones = List.copyOf(milestones);
        }

        @Override
        public String name() {
            return "multistep";
        }
    }

    /**
     * Multiply the rate by {@code gamma} every {@code every} epochs.
     *
     * @param every epochs between decays, {@code >= 1}
     * @param gamma factor in (0, 1]
     */
    record Step(int every, double gamma) implements ScheduleConfig {
        @Override
        public String name() {
            return "step";
        }
    }

    /**
     * Cosine annealing from the initial rate down to {@code minLr} at the last epoch.
     *
     * @param minLr the final rate, {@code >= 0}
     */
    record Cosine(double minLr) implements ScheduleConfig {
        @Override
        public String name() {
            return "cosine";
        }
    }

    /** The initial rate throughout. */
    record Constant() implements ScheduleConfig {
        @Override
        public String name() {
            return "constant";
        }
    }
}
