package io.spikeforge.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.api.model.Parameter;
import io.spikeforge.engine.gradcheck.DifferentiableFunction;
import io.spikeforge.engine.gradcheck.GradientCheck;
import io.spikeforge.engine.gradcheck.GradientCheckResult;
import io.spikeforge.engine.layer.SoftmaxCrossEntropy;
import io.spikeforge.testkit.neuron.LifTestNeuron;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Neurons, seeded inputs, a minimal optimizer and an allocation probe for the model tests. */
final class ModelTesting {
    private ModelTesting() {
    }

    /** The IDSNN reference neuron: the test kit's LIF with its defaults (the lif plugin's) and a box surrogate of width 1. */
    static NeuronFactory idsnnLif() {
        LifTestNeuron.Builder idsnn = LifTestNeuron.builder();
        return (name, type) -> idsnn.build();
    }

    /** Fails unless the arrays have the same shape and every entry the same bits. */
    static void assertSameBits(INDArray expected, INDArray actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        double[] e = values(expected);
        double[] a = values(actual);
        for (int i = 0; i < e.length; i++) {
            if (Double.doubleToLongBits(e[i]) != Double.doubleToLongBits(a[i])) {
                throw new AssertionError(what + " differs at " + i + ": " + e[i] + " vs " + a[i]);
            }
        }
    }

    /** Standard normal entries from {@code seed}. */
    /**
     * Checks dL/dimages and every parameter's gradient of a double-precision model against central
     * finite differences, on at most {@code entriesPerTensor} entries of each tensor.
     */
    static void assertGradientsMatch(Model model, INDArray images, int entriesPerTensor) {
        List<String> names = new ArrayList<>(List.of("images"));
        names.addAll(model.parameters().keySet());
        GradientCheckResult result = GradientCheck.withDefaults().withMaxEntriesPerTensor(entriesPerTensor)
                .check(new DifferentiableFunction() {
                    @Override
                    public INDArray forward(List<INDArray> inputs) {
                        return model.forward(inputs.get(0), true);
                    }

                    @Override
                    public List<INDArray> backward(INDArray gradOutput) {
                        return List.of(model.backward(gradOutput));
                    }

                    @Override
                    public List<Parameter> parameters() {
                        return List.copyOf(model.parameters().values());
                    }
                }, List.of(images));
        assertEquals(names.size(), result.tensors().size());
        StringBuilder report = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            report.append(names.get(i)).append(" -> ").append(result.tensors().get(i)).append('\n');
        }
        assertTrue(result.passed(), report::toString);
    }

    static INDArray normal(long seed, DataType dataType, long... shape) {
        Random random = new Random(seed);
        double[] values = new double[Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact))];
        Arrays.setAll(values, i -> random.nextGaussian());
        return Nd4j.create(values, shape, dataType);
    }

    /** {@code count} labels in {@code [0, classes)} from {@code seed}. */
    static int[] labels(long seed, int count, int classes) {
        return new Random(seed).ints(count, 0, classes).toArray();
    }

    /** The values of an array in c order. */
    static double[] values(INDArray array) {
        return array.castTo(DataType.DOUBLE).dup('c').reshape(array.length()).toDoubleVector();
    }

    /** A copy of every state tensor, by name. */
    static Map<String, INDArray> copyOfState(Model model) {
        Map<String, INDArray> copies = new LinkedHashMap<>();
        model.stateDict().names().forEach(name -> copies.put(name, model.stateDict().get(name).dup()));
        return copies;
    }

    /** Fraction of rows whose largest logit is at the label. */
    static double accuracy(INDArray logits, int[] labels) {
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (logits.getRow(i).argMax().getInt(0) == labels[i]) {
                correct++;
            }
        }
        return (double) correct / labels.length;
    }

    /**
     * Bytes that ND4J arrays created by {@code action} take: the action runs inside a fresh
     * workspace, where every array created on this thread is placed.
     */
    static long bytesAllocatedDuring(Runnable action) {
        WorkspaceConfiguration configuration = WorkspaceConfiguration.builder()
                .initialSize(1 << 20)
                .policyAllocation(AllocationPolicy.STRICT)
                .policyLearning(LearningPolicy.NONE)
                .build();
        try (MemoryWorkspace probe = Nd4j.getWorkspaceManager().getAndActivateWorkspace(configuration,
                "allocation-probe-" + System.nanoTime())) {
            action.run();
            return probe.getPrimaryOffset();
        }
    }

    /**
     * Plain SGD with momentum, as PyTorch's {@code optim.SGD} without weight decay or dampening:
     * {@code v = momentum * v + g; p -= lr * v}. Written for the tests, independent of the trainer.
     */
    static final class MomentumSgd {
        private final Model model;
        private final double learningRate;
        private final double momentum;
        private final SoftmaxCrossEntropy loss;
        private final Map<String, INDArray> velocities = new LinkedHashMap<>();

        MomentumSgd(Model model, double learningRate, double momentum) {
            this.model = model;
            this.learningRate = learningRate;
            this.momentum = momentum;
            this.loss = new SoftmaxCrossEntropy(model.dataType());
            model.parameters().forEach((name, p) -> velocities.put(name, p.value().like()));
        }

        /** One training step on the batch; returns the loss before the update. */
        double step(INDArray images, int[] labels) {
            model.zeroGradients();
            double value = loss.forward(model.forward(images, true), labels);
            model.backward(loss.backward());
            for (Map.Entry<String, Parameter> entry : model.parameters().entrySet()) {
                Parameter parameter = entry.getValue();
                INDArray velocity = velocities.get(entry.getKey());
                velocity.muli(momentum).addi(parameter.gradient());
                parameter.value().subi(velocity.mul(learningRate));
            }
            return value;
        }
    }

    /**
     * The IDSNN LIF recurrence with a smooth spike, so that a spiking network is differentiable and
     * finite differences apply: {@code H[t] = 0.25 * V[t-1] + X[t]} ({@code V[-1] = 0}),
     * {@code S[t] = sigmoid(k (H[t] - 0.5))}, {@code V[t] = H[t] (1 - S[t])} (the hard reset with
     * the soft spike). The backward pass is the exact derivative, the reset included (not detached),
     * as finite differences see it. Double precision, written for clarity.
     */
    static final class SmoothLifNeuron implements NeuronModel {
        private static final double DECAY = 0.25;
        private static final double THRESHOLD = 0.5;
        private final double steepness;
        private double[] charges;
        private double[] spikes;
        private long[] shape;
        private int timeSteps;

        SmoothLifNeuron(double steepness) {
            this.steepness = steepness;
        }

        @Override
        public java.util.OptionalDouble threshold() {
            return java.util.OptionalDouble.of(THRESHOLD);
        }

        @Override
        public INDArray forward(INDArray current, int steps, boolean training) {
            double[] input = values(current);
            int perStep = input.length / steps;
            double[] potential = new double[perStep];
            double[] h = new double[input.length];
            double[] s = new double[input.length];
            for (int t = 0; t < steps; t++) {
                for (int m = 0; m < perStep; m++) {
                    int i = t * perStep + m;
                    h[i] = DECAY * potential[m] + input[i];
                    s[i] = 1 / (1 + Math.exp(-steepness * (h[i] - THRESHOLD)));
                    potential[m] = h[i] * (1 - s[i]);
                }
            }
            charges = h;
            spikes = s;
            shape = current.shape().clone();
            timeSteps = steps;
            return Nd4j.create(s, shape, DataType.DOUBLE);
        }

        @Override
        public INDArray backward(INDArray gradSpikes) {
            double[] upstream = values(gradSpikes);
            int perStep = upstream.length / timeSteps;
            double[] gradPotential = new double[perStep];
            double[] gradCurrent = new double[upstream.length];
            for (int t = timeSteps - 1; t >= 0; t--) {
                for (int m = 0; m < perStep; m++) {
                    int i = t * perStep + m;
                    double slope = steepness * spikes[i] * (1 - spikes[i]);
                    double resetSlope = (1 - spikes[i]) - charges[i] * slope;
                    double gradCharge = upstream[i] * slope + gradPotential[m] * resetSlope;
                    gradCurrent[i] = gradCharge;
                    gradPotential[m] = DECAY * gradCharge;
                }
            }
            return Nd4j.create(gradCurrent, shape, DataType.DOUBLE);
        }

        @Override
        public void clear() {
            charges = null;
            spikes = null;
        }
    }

    /** Wraps another factory and keeps a copy of each layer's spikes from the last forward, by layer name. */
    static final class RecordingNeurons implements NeuronFactory {
        private final NeuronFactory delegate;
        private final Map<String, INDArray> lastSpikes = new LinkedHashMap<>();

        RecordingNeurons(NeuronFactory delegate) {
            this.delegate = delegate;
        }

        @Override
        public NeuronModel create(String layerName, DataType dataType) {
            NeuronModel inner = delegate.create(layerName, dataType);
            return new NeuronModel() {
                @Override
                public INDArray forward(INDArray current, int timeSteps, boolean training) {
                    INDArray spikes = inner.forward(current, timeSteps, training);
                    lastSpikes.put(layerName, spikes.dup());
                    return spikes;
                }

                @Override
                public INDArray backward(INDArray gradSpikes) {
                    return inner.backward(gradSpikes);
                }

                @Override
                public void clear() {
                    inner.clear();
                }

                @Override
                public java.util.OptionalDouble threshold() {
                    return inner.threshold();
                }
            };
        }

        /** The spikes of the named layer in the last forward, in c order. */
        double[] spikes(String layerName) {
            return values(lastSpikes.get(layerName));
        }
    }
}
