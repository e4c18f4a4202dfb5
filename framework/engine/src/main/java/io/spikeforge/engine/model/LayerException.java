package io.spikeforge.engine.model;

/**
 * A layer of a model failed with an exception that is neither an argument nor a state error (those
 * keep their type, see {@link Composite}); the message starts with the layer's full name.
 */
public final class LayerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String layerName;

    LayerException(String layerName, String message, RuntimeException cause) {
        super(message, cause);
        this.layerName = layerName;
    }

    /** The failing layer's full name, the prefix of its state-dict names, such as {@code layer2.0.bn1}. */
    public String layerName() {
        return layerName;
    }
}
