package io.spikeforge.plugins.lif;

import io.spikeforge.api.kernel.HostKernels;
import io.spikeforge.api.kernel.KernelPath;
import io.spikeforge.api.neuron.ChannelAffine;
import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.api.neuron.NeuronSteps;
import io.spikeforge.api.neuron.SameShapeSteps;
import io.spikeforge.api.neuron.SurrogateFunction;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The {@link MembraneDynamics} of one layer. Two implementations compute them, one per
 * {@link KernelPath} ({@link MembraneKernel}): {@link FusedMembraneKernel}, one fused pass per
 * direction over host memory, and {@link OpMembraneKernel}, ND4J ops. The data type follows the
 * current, so the neuron selects its implementation at the first forward in a data type, by
 * {@link KernelPath#select}'s rule (FLOAT on a host-memory backend: the fused kernel; DOUBLE, or any
 * other backend: the ops), and keeps it while the type repeats. A current or gradient that the path
 * does not accept (a strided view) is computed by the ops for that call.
 *
 * <p>This class checks the arguments and owns the buffers: the spikes {@code [T, M]} and, after a
 * training forward, the charged potential H of every step {@code [T, M]}, all the backward pass
 * needs (spikes and surrogate slopes are recomputed from it). The gradient is written over the
 * saved potentials, so a training forward supports one backward. Buffers are kept and reused while
 * the data type and sizes repeat; the returned spikes and gradients are such buffers. Supports FLOAT
 * and DOUBLE currents.
 */
final class SpikingNeuron implements NeuronModel {
    private final MembraneDynamics dynamics;
    /** Whether the backend keeps arrays in host memory: the rule's backend input. */
    private final boolean hostMemory;
    private final FusedMembraneKernel floatKernel;
    private final MembraneKernel opKernel;
    /** The implementation selected for {@link #selectedType}, the data type of the last forward. */
    private MembraneKernel selected;
    private DataType selectedType;

    /** Spikes of the last forward, {@code [T, M]}; returned (reshaped) to the caller. */
    private INDArray spikes;

    /**
     * H of every step of the last training forward, {@code [T, M]}; after backward, dL/dcurrent.
     * Null when there is none.
     */
    private INDArray charges;
    private long[] trainedShape;

    SpikingNeuron(MembraneDynamics dynamics, SurrogateFunction surrogate) {
        this(dynamics, surrogate, HostKernels.backendUsesHostMemory());
    }

    /**
     * @param hostMemory whether the backend keeps arrays in host memory,
     *     {@link HostKernels#backendUsesHostMemory()} but for tests of the rule
     */
    SpikingNeuron(MembraneDynamics dynamics, SurrogateFunction surrogate, boolean hostMemory) {
        this.dynamics = Objects.requireNonNull(dynamics, "dynamics");
        Objects.requireNonNull(surrogate, "surrogate");
        this.hostMemory = hostMemory;
        this.floatKernel = new FusedMembraneKernel(dynamics, surrogate);
        this.opKernel = new OpMembraneKernel(dynamics, surrogate);
    }

    @Override
    public INDArray forward(INDArray current, int timeSteps, boolean training) {
        DataType type = requireCurrent(current, timeSteps);
        long perStep = current.length() / timeSteps;
        INDArray input = current.reshape('c', new long[] {timeSteps, perStep});
        prepareBuffers(type, timeSteps, perStep, training);
        MembraneKernel kernel = kernelFor(type);
        if (!kernel.path().accepts(current)) {
            kernel = opKernel;
        }
        kernel.forward(input, spikes, training ? charges : null);
        return finish(current, training);
    }

    /** FLOAT currents on the fused kernel, which applies the map to each chunk it reads. */
    @Override
    public boolean acceptsChannelAffine(DataType type) {
        return kernelFor(type) == floatKernel;
    }

    @Override
    public INDArray forward(INDArray current, ChannelAffine affine, int timeSteps, boolean training) {
        DataType type = requireCurrent(current, timeSteps);
        Objects.requireNonNull(affine, "affine");
        if (!acceptsChannelAffine(type)) {
            throw new UnsupportedOperationException("lif takes a channel affine input on its fused float path"
                    + " only, not for " + type + " currents");
        }
        long perStep = current.length() / timeSteps;
        if (perStep % affine.channels() != 0) {
            throw new IllegalArgumentException("a step of " + perStep + " elements is not whole positions of "
                    + affine.channels() + " channels");
        }
        INDArray dense = floatKernel.path().accepts(current) ? current : current.dup('c');
        prepareBuffers(type, timeSteps, perStep, training);
        floatKernel.forward(dense.reshape('c', new long[] {timeSteps, perStep}), affine, spikes,
                training ? charges : null);
        return finish(current, training);
    }

    private void prepareBuffers(DataType type, int timeSteps, long perStep, boolean training) {
        spikes = reuse(spikes, type, timeSteps, perStep);
        if (training) {
            charges = reuse(charges, type, timeSteps, perStep);
        }
    }

    private INDArray finish(INDArray current, boolean training) {
        if (training) {
            trainedShape = current.shape().clone();
        }
        return spikes.reshape('c', current.shape());
    }

    private static DataType requireCurrent(INDArray current, int timeSteps) {
        Objects.requireNonNull(current, "current");
        DataType type = requireSupportedType(current.dataType(), "current");
        if (timeSteps < 1) {
            throw new IllegalArgumentException("timeSteps must be at least 1, got " + timeSteps);
        }
        if (current.rank() == 0 || current.size(0) % timeSteps != 0) {
            throw new IllegalArgumentException("current must have shape [T*B, ...] with T = timeSteps = " + timeSteps
                    + ", got shape " + Arrays.toString(current.shape()));
        }
        return type;
    }

    @Override
    public INDArray backward(INDArray gradSpikes) {
        Objects.requireNonNull(gradSpikes, "gradSpikes");
        if (charges == null || trainedShape == null) {
            throw new IllegalStateException("backward needs a training-mode forward first; there was none since"
                    + " this neuron was created or cleared, or its backward already ran");
        }
        if (!Arrays.equals(gradSpikes.shape(), trainedShape)) {
            throw new IllegalArgumentException("gradSpikes must have the shape of the spikes of the last training"
                    + " forward, " + Arrays.toString(trainedShape) + ", got " + Arrays.toString(gradSpikes.shape()));
        }
        requireSupportedType(gradSpikes.dataType(), "gradSpikes");
        DataType type = charges.dataType();
        INDArray upstream = gradSpikes.castTo(type).reshape('c', charges.shape());
        MembraneKernel kernel = kernelFor(type);
        if (!kernel.path().accepts(upstream)) {
            kernel = opKernel;
        }
        kernel.backward(upstream, charges);
        INDArray gradient = charges.reshape('c', trainedShape);
        trainedShape = null;
        return gradient;
    }

    /**
     * Steps on the implementation {@link #forward} selects for the first step's data type, with
     * buffers of its own: the carried state, for the ops a work space, and unless every step writes
     * into the caller's buffer ({@link NeuronSteps#step(INDArray, INDArray)}) the spikes, one
     * {@code [M]} each.
     */
    @Override
    public Optional<NeuronSteps> startSteps() {
        return Optional.of(new SameShapeSteps() {
            private MembraneKernel kernel;
            /** The spikes of step(current), allocated at its first use: stepping into the caller's buffers needs none. */
            private INDArray spikeBuffer;
            private INDArray state;
            private INDArray work;

            @Override
            protected void start(INDArray current, boolean sameAsLastRun) {
                kernel = kernelFor(current.dataType());
                if (!sameAsLastRun || state == null) {
                    close();
                    long neurons = current.length();
                    state = Nd4j.createUninitialized(current.dataType(), neurons);
                    // the fused kernel keeps the step's H in its threads' scratch arrays
                    work = kernel.path() == KernelPath.ND4J_OPS ? Nd4j.createUninitialized(current.dataType(), neurons)
                            : null;
                }
            }

            /** Both kernels read a step's currents before they write its spikes, so spikes may be the current. */
            @Override
            protected INDArray advance(INDArray current, INDArray into, boolean first) {
                INDArray input = current.reshape('c', new long[] {current.length()});
                if (!kernel.path().accepts(input)) {
                    input = input.dup('c');
                }
                // a dense array's flat reshape is a view of it, so the kernel writes into the caller's buffer
                boolean direct = into != null && HostKernels.isDense(into) && kernel.path().accepts(into);
                INDArray target = direct ? into.reshape('c', new long[] {into.length()}) : null;
                if (!direct) {
                    if (spikeBuffer == null) {
                        spikeBuffer = Nd4j.createUninitialized(current.dataType(), current.length());
                    }
                    target = spikeBuffer;
                }
                kernel.step(input, target, state, work, first);
                if (into == null) {
                    return spikeBuffer.reshape('c', shape());
                }
                return direct ? into : into.assign(spikeBuffer.reshape('c', shape()));
            }

            /** The kernels' first step only writes the state, so a restart needs no clearing. */
            @Override
            public boolean restart() {
                startOver();
                return true;
            }

            @Override
            public void close() {
                NeuronSteps.free(spikeBuffer, state, work);
                spikeBuffer = null;
                state = null;
                work = null;
            }
        });
    }

    /** The implementation for {@code type}, selected by the rule when the type differs from the last call's. */
    private MembraneKernel kernelFor(DataType type) {
        if (type != selectedType) {
            selected = KernelPath.select(hostMemory, type) == KernelPath.HOST_FLOAT ? floatKernel : opKernel;
            selectedType = type;
        }
        return selected;
    }

    /** The path this neuron computes {@code type} currents on (tensors the path does not accept take the ops). */
    KernelPath kernelPath(DataType type) {
        return kernelFor(type).path();
    }

    @Override
    public void clear() {
        spikes = null;
        charges = null;
        trainedShape = null;
        floatKernel.clear();
        opKernel.clear();
    }

    @Override
    public OptionalDouble threshold() {
        return OptionalDouble.of(dynamics.threshold());
    }

    private static DataType requireSupportedType(DataType type, String what) {
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException(what + " must be FLOAT or DOUBLE, got " + type);
        }
        return type;
    }

    /** {@code buffer} when it has the wanted type and shape, else a new uninitialized array. */
    static INDArray reuse(INDArray buffer, DataType type, long... shape) {
        if (buffer != null && buffer.dataType() == type && Arrays.equals(buffer.shape(), shape)) {
            return buffer;
        }
        return Nd4j.createUninitialized(type, shape);
    }
}
