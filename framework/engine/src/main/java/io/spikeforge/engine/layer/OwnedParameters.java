package io.spikeforge.engine.layer;

import io.spikeforge.api.model.Parameter;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The trainable tensors a plugin component owns (an ANN activation's, a neuron model's), checked once
 * when the layer that wraps it is made: the model and the optimizer keep these {@link Parameter}
 * objects, under the layer's name, so the component must return the same ones on every call.
 */
final class OwnedParameters {
    private OwnedParameters() {
    }

    /**
     * @param owner the component's name, for messages
     * @param parameters what the component returned
     * @param dataType the layer's data type, which every parameter must have
     * @return an unmodifiable copy
     * @throws IllegalArgumentException when a parameter has another data type, or a name that is
     *     empty, repeated or has a dot (it is the last part of a state-dict name)
     */
    static List<Parameter> checked(String owner, List<Parameter> parameters, DataType dataType) {
        List<Parameter> copy = List.copyOf(Objects.requireNonNull(parameters, () -> owner + ".parameters() returned null"));
        Set<String> names = new HashSet<>();
        for (Parameter parameter : copy) {
            String local = parameter.name();
            if (local.isEmpty() || local.contains(".") || !names.add(local)) {
                throw new IllegalArgumentException(owner + " has a parameter named '" + local
                        + "': parameter names must be unique, non-empty and without dots");
            }
            if (parameter.value().dataType() != dataType) {
                throw new IllegalArgumentException(owner + "'s parameter '" + local + "' is "
                        + parameter.value().dataType() + " in a layer that works in " + dataType);
            }
        }
        return copy;
    }
}
