package io.spikeforge.api.model;

import io.spikeforge.api.config.Suggestions;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model's named tensors (parameters and buffers such as BN running statistics) in PyTorch names
 * and layouts: convolution weights {@code [out, in, kH, kW]}, linear weights {@code [out, in]}.
 *
 * <p>The arrays are the model's own (or views of them): writing into them with
 * {@code INDArray.assign} changes the model. The set of names is fixed.
 */
public final class StateDict {
    private final Map<String, INDArray> tensors;

    private StateDict(Map<String, INDArray> tensors) {
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    /** Wraps the given tensors, keeping their order. */
    public static StateDict of(Map<String, INDArray> tensors) {
        return new StateDict(tensors);
    }

    /** The tensor names in model order. */
    public Set<String> names() {
        return tensors.keySet();
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /**
     * The tensor with the given name.
     *
     * @throws IllegalArgumentException naming the closest existing tensor when there is none
     */
    public INDArray get(String name) {
        INDArray tensor = tensors.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException("no tensor '" + name + "'" + Suggestions.didYouMean(name, tensors.keySet()));
        }
        return tensor;
    }

    /** The shape of the named tensor, as a string such as {@code [64, 3, 3, 3]}. */
    public String shapeOf(String name) {
        return Arrays.toString(get(name).shape());
    }
}
