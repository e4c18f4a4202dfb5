package io.spikeforge.testkit.init;

import io.spikeforge.api.model.ModelStructure;
import io.spikeforge.api.model.StateDict;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model's structure together with its tensors.
 *
 * @param structure the stem, stages and head
 * @param state the tensors, by PyTorch name
 */
public record ModelAndState(ModelStructure structure, StateDict state) {
    public ModelAndState {
        Objects.requireNonNull(structure, "structure");
        Objects.requireNonNull(state, "state");
    }

    /** A deep copy of the state: the same names and values in new arrays. */
    public StateDict copyOfState() {
        Map<String, INDArray> copies = new LinkedHashMap<>();
        for (String name : state.names()) {
            copies.put(name, state.get(name).dup());
        }
        return StateDict.of(copies);
    }
}
