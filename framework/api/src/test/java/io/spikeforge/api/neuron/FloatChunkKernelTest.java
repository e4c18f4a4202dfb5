package io.spikeforge.api.neuron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.kernel.HostKernels;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link FloatChunkKernel} drives a charge step it does not know: SpikingJelly's leaky charge with
 * {@code decay_input} ({@code H = (1 - k) V + k v_r + k X}), written only as a {@link ChunkCharge}
 * here, against the same steps computed element by element in the same float operations; and its
 * parameter and threshold gradients, summed per chunk, are the same numbers whatever the split of
 * the chunks over threads.
 */
class FloatChunkKernelTest {
    private static final int STEPS = 5;
    private static final int NEURONS = 3 * FloatChunkKernel.CHUNK + 77;

    /** {@code alpha / 2 exp(-alpha |u|)}, a smooth surrogate. */
    private static final SurrogateFunction SURROGATE = new AlphaSurrogateProvider("piecewise-exp", "test", 2.0,
            "sharpness") {
        @Override
        protected double derivative(double u, double alpha) {
            return alpha / 2 * Math.exp(-alpha * Math.abs(u));
        }
    }.create(2.0);

    /** The leaky charge for a fixed leak k, in float; its one parameter is k itself. */
    private record Leaky(float keep, float pull, float gain, float firstCarry, float resetPotential)
            implements ChunkCharge {
        static Leaky of(float k, float resetPotential) {
            return new Leaky(1 - k, k * resetPotential, k, (1 - k) * resetPotential + k * resetPotential,
                    resetPotential);
        }

        /** H[0] from {@code V[-1] = v_r}. */
        float first(float x) {
            return gain * x + firstCarry;
        }

        @Override
        public void chargeFirst(float[] input, float[] charged, int length) {
            for (int i = 0; i < length; i++) {
                charged[i] = first(input[i]);
            }
        }

        @Override
        public void charge(float[] input, float[] potential, float[] charged, int length) {
            for (int i = 0; i < length; i++) {
                charged[i] = gain * input[i] + (keep * potential[i] + pull);
            }
        }

        @Override
        public boolean usesPotential() {
            return true;
        }

        @Override
        public void potentialGradient(float[] gradCharged, float[] gradPotential, int length) {
            for (int i = 0; i < length; i++) {
                gradPotential[i] = keep * gradCharged[i];
            }
        }

        @Override
        public void inputGradient(float[] gradCharged, float[] gradInput, int length) {
            for (int i = 0; i < length; i++) {
                gradInput[i] = gain * gradCharged[i];
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
            for (int i = 0; i < length; i++) {
                sums[0] += gradCharged[i] * (resetPotential - potential[i] + input[i]);
            }
        }
    }

    @ParameterizedTest(name = "soft {0}, reset at {1}, detached {2}")
    @CsvSource({"false, 0, false", "false, -0.25, false", "false, -0.25, true", "true, 0, false", "true, 0, true"})
    void drivesAChargeStepItDoesNotKnowExactlyAsStepByStep(boolean soft, double resetPotential, boolean detach) {
        float k = 1 / 3f;
        float vr = (float) resetPotential;
        Leaky leaky = Leaky.of(k, vr);
        float threshold = 0.75f;
        BaseNeuron.Firing firing = new BaseNeuron.Firing(threshold, false, soft, resetPotential, detach, true);
        float[] x = uniform(new Random(5), STEPS * NEURONS, -0.5, 2.5);
        float[] g = uniform(new Random(6), STEPS * NEURONS, -1, 1);
        INDArray spikes = Nd4j.create(DataType.FLOAT, STEPS, NEURONS);
        INDArray charges = Nd4j.create(DataType.FLOAT, STEPS, NEURONS);
        FloatChunkKernel kernel = new FloatChunkKernel(firing, SURROGATE);
        kernel.forward(leaky, threshold, Nd4j.create(x, new long[] {STEPS, NEURONS}), spikes, charges);
        float[] fusedSpikes = spikes.data().asFloat();
        float[] fusedCharges = charges.data().asFloat();
        kernel.backward(leaky, 0, threshold, Nd4j.create(g, new long[] {STEPS, NEURONS}), charges, null);
        float[] fusedGradient = charges.data().asFloat();

        float cutoff = Math.nextDown(threshold);
        int fired = 0;
        for (int n = 0; n < NEURONS; n++) {
            float[] h = new float[STEPS];
            float[] s = new float[STEPS];
            float v = 0;
            for (int t = 0; t < STEPS; t++) {
                float xt = x[t * NEURONS + n];
                h[t] = t == 0 ? leaky.first(xt) : leaky.gain() * xt + (leaky.keep() * v + leaky.pull());
                s[t] = HostKernels.step(h[t] - cutoff);
                v = soft ? h[t] - threshold * s[t] : h[t] - h[t] * s[t] + vr * s[t];
                assertEquals(h[t], fusedCharges[t * NEURONS + n], "H of neuron " + n + " at step " + t);
                assertEquals(s[t], fusedSpikes[t * NEURONS + n], "spike of neuron " + n + " at step " + t);
                fired += (int) s[t];
            }
            float later = 0;
            for (int t = STEPS - 1; t >= 0; t--) {
                float[] slope = {h[t] - threshold};
                SURROGATE.derivative(slope, slope, 1);
                float throughReset = soft ? (detach ? 1f : 1f - threshold * slope[0])
                        : (detach ? 1f - s[t] : 1f - s[t] + (vr - h[t]) * slope[0]);
                float fromLater = t + 1 < STEPS ? leaky.keep() * (throughReset * later) : 0;
                later = t + 1 < STEPS ? g[t * NEURONS + n] * slope[0] + fromLater : g[t * NEURONS + n] * slope[0];
                assertEquals(leaky.gain() * later, fusedGradient[t * NEURONS + n],
                        "dL/dX of neuron " + n + " at step " + t);
            }
        }
        assertTrue(fired > NEURONS / 4 && fired < STEPS * NEURONS - NEURONS, "neurons fire and stay silent: " + fired);
    }

    /**
     * The parameter and threshold gradients are reduced into one partial sum per chunk, added in
     * chunk order: 1, 2, 3 or 8 ranges of chunks give the same bits; so does dL/dX, element by
     * element. Another chunk size regroups the sums (the same numbers up to rounding) and leaves
     * dL/dX as it is.
     */
    @ParameterizedTest(name = "soft {0}, trainable threshold {1}, adaptation {2}")
    @CsvSource({"false, false, 0", "false, true, 0", "true, true, 0", "false, false, 1.8", "true, true, 1.8"})
    void gradientsDoNotDependOnTheSplitOverThreads(boolean soft, boolean trainableThreshold, double adaptation) {
        BaseNeuron.Firing firing = new BaseNeuron.Firing(0.75, trainableThreshold, soft, soft ? 0 : -0.25, false,
                true, adaptation, Math.exp(-1 / 5.0));
        Leaky leaky = Leaky.of(0.4f, (float) firing.resetPotential());
        int neurons = 5 * FloatChunkKernel.CHUNK + 333;
        float[] x = uniform(new Random(11), STEPS * neurons, -0.5, 2.5);
        float[] g = uniform(new Random(12), STEPS * neurons, -1, 1);

        Result one = run(new FloatChunkKernel(firing, SURROGATE, FloatChunkKernel.CHUNK, 1), leaky, x, g, neurons);
        assertEquals(trainableThreshold ? 2 : 1, one.sums().length);
        assertTrue(Math.abs(one.sums()[0]) > 1, "a gradient worth comparing: " + one.sums()[0]);
        for (int parts : new int[] {2, 3, 8}) {
            Result split = run(new FloatChunkKernel(firing, SURROGATE, FloatChunkKernel.CHUNK, parts), leaky, x, g,
                    neurons);
            assertArrayEquals(one.spikes(), split.spikes(), parts + " parts: spikes");
            assertArrayEquals(one.gradInput(), split.gradInput(), parts + " parts: dL/dX");
            assertArrayEquals(one.sums(), split.sums(), 0.0, parts + " parts: parameter gradients");
        }
        Result smallChunks = run(new FloatChunkKernel(firing, SURROGATE, 100, 4), leaky, x, g, neurons);
        assertArrayEquals(one.gradInput(), smallChunks.gradInput(), "chunks of 100: dL/dX");
        for (int j = 0; j < one.sums().length; j++) {
            assertEquals(one.sums()[j], smallChunks.sums()[j], 1e-9 * Math.abs(one.sums()[j]), "chunks of 100: sum " + j);
        }
    }

    private record Result(float[] spikes, float[] gradInput, double[] sums) {
    }

    private static Result run(FloatChunkKernel kernel, Leaky leaky, float[] x, float[] g, int neurons) {
        INDArray current = Nd4j.create(x, new long[] {STEPS, neurons});
        INDArray spikes = Nd4j.create(DataType.FLOAT, STEPS, neurons);
        INDArray charges = Nd4j.create(DataType.FLOAT, STEPS, neurons);
        kernel.forward(leaky, 0.75, current, spikes, charges);
        double[] sums = kernel.backward(leaky, 1, 0.75, Nd4j.create(g, new long[] {STEPS, neurons}), charges, current);
        return new Result(spikes.data().asFloat(), charges.data().asFloat(), sums);
    }

    private static float[] uniform(Random random, int length, double from, double to) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = (float) (from + random.nextDouble() * (to - from));
        }
        return values;
    }
}
