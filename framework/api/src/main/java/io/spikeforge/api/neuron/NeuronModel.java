package io.spikeforge.api.neuron;

import io.spikeforge.api.model.Parameter;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The spiking neurons of one layer, run over all T time-steps at once.
 *
 * <p>Input and output are time-major: shape {@code [T*B, ...]} where rows {@code t*B .. t*B+B-1}
 * are time-step {@code t}. Any trailing shape is allowed ({@code [T*B, C, H, W]} or, in a model
 * that keeps its maps channels-last, {@code [T*B, H, W, C]} after a convolution, {@code [T*B, N]}
 * after a linear layer); neurons are independent per element, so a neuron must not read meaning
 * into the trailing dimensions.
 *
 * <p>An instance belongs to one layer and is stateful: {@link #forward} in training mode keeps what
 * {@link #backward} needs (for example membrane potentials), and {@link #backward} performs
 * back-propagation through time. Instances are not thread-safe. Arrays returned by either method
 * may be buffers that the instance reuses on its next call; callers that keep them must copy.
 * Data types follow the input: float in training, double in gradient checks.
 *
 * <p>Neurons may own trainable tensors ({@link #parameters()}, PLIF's time constant), as ANN
 * activations do: the engine puts them into the model's parameters and state dict under the
 * layer's name ({@code layer1.0.sn1.w}), the optimizer updates them, checkpoints and weights files
 * save them, and {@link #backward} adds their gradients. {@link BaseNeuron} is the base to write a
 * neuron by its charge step.
 *
 * <p>For inference a neuron may also run one time-step at a time ({@link #startSteps()}), so that
 * a network can step through time keeping only the state between steps instead of all T steps.
 */
public interface NeuronModel {
    /**
     * Runs the neurons over {@code timeSteps} steps, starting from their initial state.
     *
     * @param current input current, shape {@code [T*B, ...]}, {@code T = timeSteps}
     * @param timeSteps number of time-steps T; {@code current.size(0)} must be a multiple of it
     * @param training when true, keep what {@link #backward} needs
     * @return spikes (0 or 1) with the shape of {@code current}
     * @throws IllegalArgumentException when {@code current.size(0)} is not a multiple of {@code timeSteps}
     */
    INDArray forward(INDArray current, int timeSteps, boolean training);

    /**
     * Whether {@link #forward(INDArray, ChannelAffine, int, boolean)} takes currents of this type:
     * whether the neurons can apply a batch-normalization layer's per-channel affine map as they read
     * their current, so that the engine need not store that layer's output. False, the default, for
     * neurons that cannot; the engine then normalizes into a tensor and calls
     * {@link #forward(INDArray, int, boolean)}. {@link BaseNeuron} can on its fused float path.
     *
     * @param type the data type of the currents
     */
    default boolean acceptsChannelAffine(DataType type) {
        return false;
    }

    /**
     * {@link #forward(INDArray, int, boolean)} of the current {@code affine} maps {@code current}
     * to, without storing it: spikes, and after a training forward {@link #backward}'s
     * {@code dL/dcurrent}, must equal bit for bit those of {@code forward} given the mapped current
     * ({@code x * scale[c] + shift[c]} in float, see {@link ChannelAffine}); {@code backward}
     * returns the gradient with respect to the mapped current. Only called where
     * {@link #acceptsChannelAffine} is true for the current's type.
     *
     * @param current the unmapped current, {@code [T*B, ...]}; its number of elements per time-step
     *     is a multiple of {@code affine.channels()}
     * @throws UnsupportedOperationException where {@link #acceptsChannelAffine} is false (the default)
     * @throws IllegalArgumentException for a current {@link #forward(INDArray, int, boolean)} would
     *     refuse, or whose elements per time-step are not a multiple of the channels
     */
    default INDArray forward(INDArray current, ChannelAffine affine, int timeSteps, boolean training) {
        throw new UnsupportedOperationException(getClass().getName() + " does not take a channel affine input");
    }

    /**
     * Back-propagation through time for the last training-mode {@link #forward}.
     *
     * @param gradSpikes dL/dspikes, shape of the spikes
     * @return dL/dcurrent, shape of the input current
     * @throws IllegalStateException when no training-mode forward precedes it (or {@link #clear()} came between)
     * @throws IllegalArgumentException when {@code gradSpikes} does not have the shape of the spikes
     */
    INDArray backward(INDArray gradSpikes);

    /**
     * The trainable tensors these neurons own, under local names (unique, without dots), in the data
     * type the provider was given ({@link NeuronModelProvider#create(io.spikeforge.api.component.ResolvedParameters,
     * SurrogateFunction, org.nd4j.linalg.api.buffer.DataType)}); the same objects on every call.
     * {@link #backward} adds their gradients into {@link Parameter#gradient()} without zeroing it.
     * Empty (the default) for neurons without any.
     */
    default List<Parameter> parameters() {
        return List.of();
    }

    /**
     * The memory a training forward keeps until its backward, in bytes per element of the current
     * ({@code T*B*...} elements), beyond the spikes it returns; memory estimates count it for every
     * spiking layer. The default, one element of the current's type, is what {@code lif} keeps: the
     * charged potential of every step, which backward overwrites with the input gradient. A neuron
     * that keeps more (its input, an adaptation state, double-precision copies) reports it here.
     *
     * @param type the data type of the currents, FLOAT in training
     */
    default double trainingBytesPerElement(DataType type) {
        return type.width();
    }

    /**
     * Starts running these neurons one time-step at a time for inference, from their initial state,
     * independently of {@link #forward}'s buffers and of other steppers. Empty, the default, for
     * neurons without a single-step mode: callers then run all T steps with {@link #forward}.
     * {@link BaseNeuron} has one. The threshold and parameters are read when stepping starts.
     */
    default Optional<NeuronSteps> startSteps() {
        return Optional.empty();
    }

    /** Drops the state kept for backward. */
    void clear();

    /**
     * The membrane potential at which these neurons fire, where they have one fixed threshold (for
     * an adaptive threshold, its initial value). Layers before the neurons scale to it: a spiking
     * network's tdBN starts the weight of a BN layer at the threshold of the neurons that take its
     * output (Zheng et al. 2021, with alpha = 1). The default, empty, is for neurons without a
     * threshold; tdBN then needs its initial weight given explicitly.
     */
    default OptionalDouble threshold() {
        return OptionalDouble.empty();
    }
}
