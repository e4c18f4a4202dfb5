package io.spikeforge.api.init;

import io.spikeforge.api.model.ModelStructure;
import io.spikeforge.api.model.StateDict;

/** Fills a student's parameters and BN statistics from a trained teacher's. */
public interface InitializationStrategy {
    /**
     * Writes into {@code studentState} (through {@code INDArray.assign}); never modifies the
     * teacher.
     *
     * @return every tensor transferred and every student tensor left alone
     * @throws IllegalArgumentException when the models cannot be mapped (for example different
     *     kernel sizes), naming the tensors
     */
    InitializationReport initialize(ModelStructure teacher, StateDict teacherState, ModelStructure student,
                                    StateDict studentState);
}
