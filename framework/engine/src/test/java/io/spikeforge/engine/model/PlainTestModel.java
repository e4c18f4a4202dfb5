package io.spikeforge.engine.model;

import io.spikeforge.engine.layer.ActivationLayout;
import java.util.List;


import org.nd4j.linalg.api.buffer.DataType;

/** A model of a stem and a head only, composed by a test from layers of its choice (tests of other packages). */
public final class PlainTestModel extends ComposedModel {
    private PlainTestModel(Composition composition) {
        super(composition);
    }

    /**
     * @param stem layers named from the top of the model
     * @param head layers after the stem, ending in the classifier
     */
    public static PlainTestModel of(String architecture, int inputChannels, int classes, DataType dataType,
                                    Sequential stem, Sequential head) {
        return new PlainTestModel(new Composition(architecture, inputChannels, classes, 1, false, dataType,
                ActivationLayout.NCHW, new NamedSequence("", stem), List.of(), new NamedSequence("", head)));
    }
}
