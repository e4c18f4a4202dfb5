package io.spikeforge.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.model.Parameter;
import io.spikeforge.api.neuron.BaseNeuron;
import io.spikeforge.api.neuron.ChannelAffine;
import io.spikeforge.api.neuron.ChunkCharge;
import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.engine.tensor.MemoryEstimate;
import io.spikeforge.testkit.neuron.ForwardingNeuronModel;
import io.spikeforge.testkit.neuron.LifTestNeuron;
import io.spikeforge.testkit.neuron.RectangularTestSurrogate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * BN layers whose output the neurons after them apply themselves ({@link ModelSettings#optFusedBatchNorm})
 * against the same models computing that output: bit-identical logits, image gradients, parameter
 * gradients, weights, running statistics and firing rates over two SGD steps and in evaluation, for
 * both spiking ResNet blocks and the VGG, with a neuron whose charge has a trainable parameter (its
 * backward needs its input) and one without; fused where the neurons accept a channel affine input,
 * and apart where they do not (a third party's neuron, {@link LifTestNeuron}).
 */
class BatchNormFusionTest {
    /**
     * {@code H = k V + g X} with {@code k = 0.5}, hard reset to 0 at threshold 0.5 (detached), the
     * gain {@code g} fixed at 1 or trainable, on {@link BaseNeuron}'s fused float path.
     */
    static final class GainNeuron extends BaseNeuron {
        private static final float KEEP = 0.5f;
        private final Parameter gain;

        GainNeuron(boolean trainableGain, DataType type) {
            super(new Firing(0.5, false, false, 0, true, false), new RectangularTestSurrogate(), type);
            this.gain = trainableGain ? scalar("gain", 1.25, type) : null;
        }

        private double gainNow() {
            return gain == null ? 1 : gain.value().getDouble(0);
        }

        @Override
        protected void charge(double[] input, double[] potential, double[] charged, int length) {
            double g = gainNow();
            for (int i = 0; i < length; i++) {
                charged[i] = KEEP * potential[i] + g * input[i];
            }
        }

        @Override
        protected void chargeBackward(double[] input, double[] potential, double[] gradCharged, double[] gradInput,
                                      double[] gradPotential, int length) {
            double g = gainNow();
            double gradGain = 0;
            for (int i = 0; i < length; i++) {
                gradInput[i] = gradCharged[i] * g;
                gradPotential[i] = gradCharged[i] * KEEP;
                gradGain += gradCharged[i] * input[i];
            }
            if (gain != null) {
                addGradient(gain, gradGain);
            }
        }

        @Override
        protected List<Parameter> chargeParameters() {
            return gain == null ? List.of() : List.of(gain);
        }

        @Override
        protected ChunkCharge chunkCharge() {
            float g = (float) gainNow();
            return new ChunkCharge() {
                @Override
                public void chargeFirst(float[] input, float[] charged, int length) {
                    for (int i = 0; i < length; i++) {
                        charged[i] = g * input[i];
                    }
                }

                @Override
                public void charge(float[] input, float[] potential, float[] charged, int length) {
                    for (int i = 0; i < length; i++) {
                        charged[i] = KEEP * potential[i] + g * input[i];
                    }
                }

                @Override
                public boolean usesPotential() {
                    return true;
                }

                @Override
                public void potentialGradient(float[] gradCharged, float[] gradPotential, int length) {
                    for (int i = 0; i < length; i++) {
                        gradPotential[i] = KEEP * gradCharged[i];
                    }
                }

                @Override
                public void inputGradient(float[] gradCharged, float[] gradInput, int length) {
                    for (int i = 0; i < length; i++) {
                        gradInput[i] = g * gradCharged[i];
                    }
                }

                @Override
                public void parameterGradientFirst(float[] input, float[] gradCharged, int length, double[] sums) {
                    for (int i = 0; i < length; i++) {
                        sums[0] += gradCharged[i] * input[i];
                    }
                }

                @Override
                public void parameterGradient(float[] input, float[] potential, float[] gradCharged, int length,
                                              double[] sums) {
                    parameterGradientFirst(input, gradCharged, length, sums);
                }
            };
        }
    }

    /** Counts the forwards that take a channel affine input, over every neuron the factory made. */
    private record Counted(NeuronFactory factory, AtomicInteger affineForwards) {
        static Counted of(Function<DataType, NeuronModel> neurons) {
            AtomicInteger count = new AtomicInteger();
            NeuronFactory factory = (name, type) -> new ForwardingNeuronModel(neurons.apply(type)) {
                @Override
                public INDArray forward(INDArray current, ChannelAffine affine, int timeSteps, boolean training) {
                    count.incrementAndGet();
                    return super.forward(current, affine, timeSteps, training);
                }
            };
            return new Counted(factory, count);
        }
    }

    /**
     * Two training steps (forward, backward, a plain gradient step) and an evaluation pass of the
     * model fused and apart, with the same neurons; returns the fused forwards' affine inputs.
     */
    private static int assertSameTraining(Function<NeuronFactory, ModelSettings<?>> settings,
                                          Function<DataType, NeuronModel> neurons, long imageSize) {
        Counted apart = Counted.of(neurons);
        Counted fused = Counted.of(neurons);
        Model reference = settings.apply(apart.factory()).optFusedBatchNorm(false).build();
        Model model = settings.apply(fused.factory()).optFusedBatchNorm(true).build();
        for (int step = 0; step < 2; step++) {
            INDArray images = ModelTesting.normal(20 + step, DataType.FLOAT, 6, 3, imageSize, imageSize);
            INDArray logits = reference.forward(images, true).dup();
            ModelTesting.assertSameBits(logits, model.forward(images, true), "logits");
            Map<String, Double> rates = reference.firingRates();
            assertEquals(rates, model.firingRates(), "firing rates");
            assertTrue(rates.values().stream().anyMatch(rate -> rate > 0.02 && rate < 0.98), rates::toString);
            INDArray gradLogits = ModelTesting.normal(30 + step, DataType.FLOAT, logits.shape());
            INDArray gradImages = reference.backward(gradLogits).dup();
            ModelTesting.assertSameBits(gradImages, model.backward(gradLogits), "image gradient");
            reference.parameters().forEach((name, parameter) -> {
                Parameter twin = model.parameters().get(name);
                ModelTesting.assertSameBits(parameter.gradient(), twin.gradient(), name + " gradient");
                parameter.value().subi(parameter.gradient().mul(0.05));
                parameter.gradient().assign(0);
                twin.value().subi(twin.gradient().mul(0.05));
                twin.gradient().assign(0);
            });
        }
        Map<String, INDArray> state = ModelTesting.copyOfState(reference);
        ModelTesting.copyOfState(model).forEach((name, value) -> ModelTesting.assertSameBits(state.get(name), value, name));
        INDArray images = ModelTesting.normal(40, DataType.FLOAT, 4, 3, imageSize, imageSize);
        ModelTesting.assertSameBits(reference.forward(images, false).dup(), model.forward(images, false), "evaluation logits");
        assertEquals(reference.firingRates(), model.firingRates(), "evaluation firing rates");
        assertEquals(0, apart.affineForwards().get(), "forwards with a channel affine input with the fusion off");
        return fused.affineForwards().get();
    }

    private static Function<NeuronFactory, ModelSettings<?>> resNet(BlockType type) {
        return factory -> ResNet.builder().optDepth(8).optWidths(16, 32, 64).optBlockType(type).optSpiking(factory, 2)
                .optSeed(5);
    }

    private static Function<NeuronFactory, ModelSettings<?>> vgg() {
        return factory -> Vgg.builder().optWidths(8, 8, 16, 16, 16, 16, 16, 16).optSpiking(factory, 2).optSeed(5);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void spikingBasicResNetFusesTheBatchNormsBeforeNeurons(boolean trainableGain) {
        // per forward: the stem's bn1 and each block's bn1; bn2 and downsample.1 feed the addition
        int fused = assertSameTraining(resNet(BlockType.SPIKING_BASIC), type -> new GainNeuron(trainableGain, type), 8);
        assertEquals(3 * 4, fused);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void sewResNetFusesEveryBatchNorm(boolean trainableGain) {
        // per forward: the stem's bn1, each block's bn1 and bn2, and the two projections' downsample.1
        int fused = assertSameTraining(resNet(BlockType.SEW_ADD), type -> new GainNeuron(trainableGain, type), 8);
        assertEquals(3 * 9, fused);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void vggFusesEveryBatchNorm(boolean trainableGain) {
        int fused = assertSameTraining(vgg(), type -> new GainNeuron(trainableGain, type), 7);
        assertEquals(3 * 8, fused);
    }

    /** A neuron without the extension (the default methods) keeps BN's output; nothing else changes. */
    @ParameterizedTest
    @EnumSource(BlockType.class)
    void neuronsWithoutChannelAffineInputTakeTheStoredOutput(BlockType type) {
        LifTestNeuron.Builder lif = LifTestNeuron.builder();
        assertEquals(0, assertSameTraining(resNet(type), dataType -> lif.build(), 8));
    }

    @Test
    void aRepeatedFusedStepAllocatesNothing() {
        Model model = resNet(BlockType.SEW_ADD).apply((name, type) -> new GainNeuron(true, type)).build();
        INDArray images = ModelTesting.normal(3, DataType.FLOAT, 4, 3, 8, 8);
        INDArray gradLogits = ModelTesting.normal(4, DataType.FLOAT, 4, 10);
        Runnable step = () -> {
            model.forward(images, true);
            model.backward(gradLogits);
            model.forward(images, false);
        };
        step.run();
        assertEquals(0, ModelTesting.bytesAllocatedDuring(step));
    }

    @Test
    void summaryIsTheSameFusedOrApart() {
        NeuronFactory neurons = (name, type) -> new GainNeuron(false, type);
        ModelSummary fused = ModelSummary.of(resNet(BlockType.SEW_ADD).apply(neurons).build(), 16, 16);
        ModelSummary apart = ModelSummary.of(resNet(BlockType.SEW_ADD).apply(neurons).optFusedBatchNorm(false).build(),
                16, 16);
        assertEquals(apart.layers().size(), fused.layers().size());
        for (int i = 0; i < apart.layers().size(); i++) {
            ModelSummary.Row expected = apart.layers().get(i);
            ModelSummary.Row actual = fused.layers().get(i);
            assertEquals(expected.name(), actual.name());
            assertArrayEquals(expected.outputShape(), actual.outputShape(), expected.name());
            assertEquals(expected.outputRows(), actual.outputRows(), expected.name());
            assertEquals(expected.multiplyAccumulates(), actual.multiplyAccumulates(), expected.name());
        }
    }

    /**
     * The estimate leaves out the output of each fused BN layer in training, T*B maps: in a
     * SPIKING_BASIC ResNet the stem's bn1 and each block's bn1, the sizes of their stages' maps.
     */
    @Test
    void memoryEstimateDropsTheFusedOutputs() {
        NeuronFactory neurons = (name, type) -> new GainNeuron(false, type);
        int batch = 4;
        int timeSteps = 2;
        MemoryEstimate fused = resNet(BlockType.SPIKING_BASIC).apply(neurons).estimateMemory(16, Set.of(batch), Set.of());
        MemoryEstimate apart = resNet(BlockType.SPIKING_BASIC).apply(neurons).optFusedBatchNorm(false)
                .estimateMemory(16, Set.of(batch), Set.of());
        double maps = 16 * 16 * 16 + 16 * 16 * 16 + 32 * 8 * 8 + 64 * 4 * 4;
        assertEquals(Float.BYTES * timeSteps * batch * maps, apart.totalBytes() - fused.totalBytes(), 1e-6);
        LifTestNeuron.Builder lif = LifTestNeuron.builder();
        NeuronFactory withoutExtension = (name, type) -> lif.build();
        assertEquals(resNet(BlockType.SPIKING_BASIC).apply(withoutExtension).optFusedBatchNorm(false)
                        .estimateMemory(16, Set.of(batch), Set.of()).totalBytes(),
                resNet(BlockType.SPIKING_BASIC).apply(withoutExtension).estimateMemory(16, Set.of(batch), Set.of())
                        .totalBytes(), 1e-6);
    }
}
