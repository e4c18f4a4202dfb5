package io.spikeforge.engine.model;

import io.spikeforge.api.model.ModelStructure;
import io.spikeforge.api.model.StateDict;
import io.spikeforge.api.model.Parameter;
import io.spikeforge.engine.energy.EnergyMeter;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An image classifier of the training engine, as the trainer, the evaluator, checkpoints and
 * initialization strategies see it: an explicit forward and backward pass, parameters and a state
 * dict under PyTorch names, and a {@link ModelStructure}. Families are made by their builders
 * ({@link ResNet#builder()}, {@link Vgg#builder()}), which are {@link ModelBuilder}s.
 *
 * <p>Buffers and lifetimes follow {@link io.spikeforge.engine.layer.Layer}: returned arrays are
 * reused by the next call, a training-mode forward keeps references to what the backward pass needs
 * (the caller must leave the images unchanged until then), and {@link #backward} must follow its
 * training-mode forward with no other forward in between. Spiking models work time-major inside
 * ({@code [T*B, ...]}) and take and return batch-major tensors. Not thread-safe.
 */
public interface Model {
    /**
     * Computes the logits.
     *
     * @param images {@code [B, inputChannels, H, W]} in the model's data type
     * @param training true for training mode: batch statistics in BN, and keeping what
     *     {@link #backward} needs; false for evaluation
     * @return {@code [B, classes]}, a buffer reused by the next forward
     * @throws IllegalArgumentException for images of another rank, channel count or data type, or a
     *     size the model cannot take (the message names the layer by its state-dict prefix)
     */
    INDArray forward(INDArray images, boolean training);

    /**
     * Back-propagates through the last training-mode forward, adding every parameter's gradient
     * into {@link Parameter#gradient()} (call {@link #zeroGradients()} before a new step).
     *
     * @param gradLogits dL/dlogits, {@code [B, classes]}
     * @return dL/dimages, a buffer reused by the next backward; null after
     *     {@link #skipInputGradient()} where the first layer skips it
     * @throws IllegalStateException when no training-mode forward precedes it
     */
    INDArray backward(INDArray gradLogits);

    /**
     * Tells the model that its callers do not read the result of {@link #backward} (the training
     * loop, {@code bench train}): a float model then skips the images' gradient (about half of its
     * first convolution's backward time) and {@link #backward} returns null; every parameter
     * gradient stays bit for bit the same. Gradient checks and golden tests, which read it, do not
     * call this. The default does nothing.
     */
    default void skipInputGradient() {
    }

    /** Every trainable parameter by full PyTorch name ({@code layer1.0.conv1.weight}), in state-dict order. */
    Map<String, Parameter> parameters();

    /** The number of trainable values, as PyTorch counts {@code p.numel()} over the parameters. */
    default long parameterCount() {
        return parameters().values().stream().mapToLong(p -> p.value().length()).sum();
    }

    /** Sets every parameter gradient to zero. */
    default void zeroGradients() {
        parameters().values().forEach(Parameter::zeroGradient);
    }

    /**
     * Every tensor (parameters, BN running statistics) by full PyTorch name, in PyTorch's order. The
     * arrays are the model's own: writing into them with {@code assign} changes the model.
     */
    StateDict stateDict();

    /** The layers, named by the prefixes of their state-dict names, as initialization strategies see them. */
    ModelStructure structure();

    /**
     * The fraction of neurons and time-steps that spiked in the last forward pass, per spiking layer
     * by full name, in forward order. NaN before the first forward; empty for an ANN. A training
     * forward counts the spikes only when asked, so after a training step ask before
     * {@link #backward}: a layer's rate not read by then is NaN.
     */
    Map<String, Double> firingRates();

    /**
     * The meter that counts the synaptic operations and multiply-accumulates of this model's
     * evaluation-mode forward passes while it measures ({@link EnergyMeter#start()}); empty for a
     * model that cannot count them.
     */
    default Optional<EnergyMeter> energy() {
        return Optional.empty();
    }

    /** T for a spiking network, 1 for an ANN. */
    int timeSteps();

    /** Whether the activations are spiking neurons (run over {@link #timeSteps()}). */
    boolean spiking();

    /** A short name such as {@code resnet18}, {@code spiking-resnet18} or {@code vgg11}. */
    String architecture();

    /** Channels of the images it takes. */
    int inputChannels();

    /** Outputs of the classifier. */
    int classes();

    /** FLOAT for training, DOUBLE for gradient checks. */
    DataType dataType();
}
