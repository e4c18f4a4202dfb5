package io.spikeforge.testkit.init;

import java.util.Objects;

/**
 * A teacher and a student to initialize from it.
 *
 * @param teacher the trained model whose parameters are read
 * @param student the model whose parameters are written
 */
public record ModelPair(ModelAndState teacher, ModelAndState student) {
    public ModelPair {
        Objects.requireNonNull(teacher, "teacher");
        Objects.requireNonNull(student, "student");
    }
}
