package io.spikeforge.engine.layer;

import static io.spikeforge.engine.layer.TestTensors.bytesAllocatedDuring;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.engine.tensor.BufferCache;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Once shapes repeat, a training step through any layer creates no ND4J array: every array created
 * on the thread during the probed step would land in the probe's workspace.
 */
class BufferReuseTest {
    private static final int TIME_STEPS = 2;

    /** Writes spikes into a buffer of its own, as real neuron models do. */
    private static final class ReusingNeuron implements NeuronModel {
        private INDArray spikes;

        @Override
        public INDArray forward(INDArray current, int timeSteps, boolean training) {
            if (spikes == null) {
                spikes = Nd4j.create(current.dataType(), current.shape());
            }
            return spikes.assign(current);
        }

        @Override
        public INDArray backward(INDArray gradSpikes) {
            return gradSpikes;
        }

        @Override
        public void clear() {
        }
    }

    static Stream<Arguments> layers() {
        return Stream.of(
                Arguments.of("Conv2d", (Supplier<Layer>) () -> new Conv2d(3, 4, 3, 2, 1, true, DataType.FLOAT),
                        new long[] {4, 3, 8, 8}),
                Arguments.of("Conv2d, batch split", (Supplier<Layer>) () -> new Conv2d(3, 4, 3, 1, 1, false, DataType.FLOAT),
                        new long[] {70, 3, 4, 4}),
                Arguments.of("BatchNorm2d", (Supplier<Layer>) () -> BatchNorm2d.timeMajor(3, TIME_STEPS, 0.5, DataType.FLOAT),
                        new long[] {4, 3, 4, 4}),
                Arguments.of("Linear", (Supplier<Layer>) () -> new Linear(6, 5, true, DataType.FLOAT), new long[] {4, 6}),
                Arguments.of("ReLU", (Supplier<Layer>) () -> new ReLU(DataType.FLOAT), new long[] {4, 3, 4, 4}),
                Arguments.of("GlobalAvgPool2d", (Supplier<Layer>) () -> new GlobalAvgPool2d(DataType.FLOAT),
                        new long[] {4, 3, 4, 4}),
                Arguments.of("TimeMean", (Supplier<Layer>) () -> new TimeMean(TIME_STEPS, DataType.FLOAT), new long[] {4, 5}),
                Arguments.of("SpikingActivation", (Supplier<Layer>) () -> new SpikingActivation(new ReusingNeuron(), TIME_STEPS, DataType.DOUBLE),
                        new long[] {4, 3, 4, 4}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void aRepeatedTrainingStepAllocatesNothing(String name, Supplier<Layer> factory, long[] inputShape) {
        Layer layer = factory.get();
        INDArray input = Nd4j.randn(DataType.FLOAT, inputShape);
        INDArray output = layer.forward(input, true);
        INDArray gradOutput = Nd4j.randn(DataType.FLOAT, output.shape());
        INDArray gradInput = layer.backward(gradOutput);
        layer.forward(input, false);

        INDArray[] probed = new INDArray[3];
        long bytes = bytesAllocatedDuring(() -> {
            probed[0] = layer.forward(input, true);
            probed[1] = layer.backward(gradOutput);
            probed[2] = layer.forward(input, false);
        });

        assertEquals(0, bytes, name + " allocated during a repeated step");
        assertSame(output, probed[0]);
        assertSame(gradInput, probed[1]);
    }

    @Test
    void residualAdditionAndLossAllocateNothingEither() {
        ResidualAdd add = new ResidualAdd(DataType.FLOAT);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(DataType.FLOAT);
        INDArray main = Nd4j.randn(DataType.FLOAT, 4, 10);
        INDArray shortcut = Nd4j.randn(DataType.FLOAT, 4, 10);
        int[] labels = {1, 0, 9, 3};
        INDArray sum = add.forward(main, shortcut);
        loss.forward(sum, labels);
        INDArray gradLogits = loss.backward();

        INDArray[] probed = new INDArray[2];
        long bytes = bytesAllocatedDuring(() -> {
            probed[0] = add.forward(main, shortcut);
            loss.forward(probed[0], labels);
            probed[1] = add.backward(loss.backward());
        });

        assertEquals(0, bytes);
        assertSame(sum, probed[0]);
        assertSame(gradLogits, probed[1]);
    }

    @Test
    void convolutionAndBatchNormCanWriteTheirGradientsIntoASharedPool() {
        BufferCache pool = new BufferCache();
        Conv2d convolution = new Conv2d(3, 4, 3, 1, 1, false, DataType.FLOAT);
        BatchNorm2d batchNorm = BatchNorm2d.standard(4, DataType.FLOAT);
        convolution.useGradientPool(pool, "convolution");
        batchNorm.useGradientPool(pool, "batchNorm");
        INDArray input = Nd4j.randn(DataType.FLOAT, 2, 3, 5, 5);
        INDArray gradOutput = Nd4j.randn(DataType.FLOAT, 2, 4, 5, 5);

        batchNorm.forward(convolution.forward(input, true), true);
        INDArray gradConvolutionOutput = batchNorm.backward(gradOutput);
        INDArray gradInput = convolution.backward(gradConvolutionOutput);

        assertSame(pool.get("batchNorm", DataType.FLOAT, 2, 4, 5, 5), gradConvolutionOutput);
        assertSame(pool.get("convolution", DataType.FLOAT, 2, 3, 5, 5), gradInput);
        assertEquals(2, pool.allocations());
    }

    @Test
    void theProbeSeesAllocations() {
        assertTrue(bytesAllocatedDuring(() -> Nd4j.create(DataType.FLOAT, 16)) >= 64);
        INDArray x = Nd4j.ones(DataType.FLOAT, 4);
        assertTrue(bytesAllocatedDuring(() -> x.add(1)) > 0);
    }
}
