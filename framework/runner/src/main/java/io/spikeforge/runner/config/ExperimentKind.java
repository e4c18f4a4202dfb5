package io.spikeforge.runner.config;

import io.spikeforge.api.config.YamlChoice;

/**
 * What an experiment does, as its {@code kind:} key says: each kind has its own schema (made of
 * shared sections) and its own sequence of phases.
 */
public enum ExperimentKind implements YamlChoice {
    /** An ANN teacher trained or loaded, a spiking student initialized from it and trained with distillation (IDSNN). */
    DISTILL("distill", DistillExperiment.class),
    /** One model, ANN or spiking, trained directly with cross-entropy. */
    TRAIN("train", TrainExperiment.class),
    /** An ANN, trained or loaded, converted into a spiking network and evaluated over time-steps. */
    CONVERT("convert", ConvertExperiment.class);

    /** The kind of a file without {@code kind:} (every file written before kinds existed). */
    public static final ExperimentKind DEFAULT = DISTILL;

    private final String yamlName;
    private final Class<? extends Experiment> recordType;

    ExperimentKind(String yamlName, Class<? extends Experiment> recordType) {
        this.yamlName = yamlName;
        this.recordType = recordType;
    }

    @Override
    public String yamlName() {
        return yamlName;
    }

    /** The record an experiment of this kind binds to. */
    Class<? extends Experiment> recordType() {
        return recordType;
    }
}
