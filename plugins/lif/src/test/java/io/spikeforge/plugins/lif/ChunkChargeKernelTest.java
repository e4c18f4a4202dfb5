package io.spikeforge.plugins.lif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.kernel.HostKernels;
import io.spikeforge.api.neuron.SurrogateFunction;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link FloatMembraneKernel} drives a charge step it does not know: SpikingJelly's leaky charge
 * with {@code decay_input} ({@code H = (1 - k) V + k v_r + k X}), written only as a
 * {@link ChunkCharge}, against the same steps computed element by element in the same float
 * operations. Several chunks with a partial last one, split over threads, must give exactly the
 * element-by-element numbers.
 */
class ChunkChargeKernelTest {
    private static final int STEPS = 5;
    private static final int NEURONS = 3 * FloatMembraneKernel.CHUNK + 77;

    /** The leaky charge of {@code plif} for a fixed leak, in float. */
    private record Leaky(float keep, float pull, float gain, float firstCarry) implements ChunkCharge {
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
    }

    @ParameterizedTest(name = "{0} reset at {1}, detached {2}")
    @CsvSource({"HARD, 0, false", "HARD, -0.25, false", "HARD, -0.25, true", "SOFT, 0, false", "SOFT, 0, true"})
    void drivesAChargeStepItDoesNotKnowExactlyAsStepByStep(ResetMode reset, double resetPotential, boolean detach) {
        float k = 1 / 3f;
        float vr = (float) resetPotential;
        Leaky leaky = new Leaky(1 - k, k * vr, k, (1 - k) * vr + k * vr);
        // the kernel takes firing and reset from the dynamics; its decay and gain belong to lif's charge
        MembraneDynamics firing = new MembraneDynamics(0.5, 1, 0.75, reset, resetPotential, detach, true,
                resetPotential);
        SurrogateFunction surrogate = new BoxSurrogate();
        Random random = new Random(5);
        float[] x = new float[STEPS * NEURONS];
        float[] g = new float[STEPS * NEURONS];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextDouble() * 3 - 0.5);
            g[i] = (float) (random.nextDouble() * 2 - 1);
        }
        INDArray spikes = Nd4j.create(DataType.FLOAT, STEPS, NEURONS);
        INDArray charges = Nd4j.create(DataType.FLOAT, STEPS, NEURONS);
        FloatMembraneKernel kernel = new FloatMembraneKernel(firing, leaky, surrogate);
        kernel.forward(Nd4j.create(x, new long[] {STEPS, NEURONS}), spikes, charges);
        float[] fusedSpikes = spikes.data().asFloat();
        kernel.backward(Nd4j.create(g, new long[] {STEPS, NEURONS}), charges);
        float[] fusedGradient = charges.data().asFloat();

        float cutoff = (float) firing.firingCutoff(DataType.FLOAT);
        float threshold = 0.75f;
        int fired = 0;
        for (int n = 0; n < NEURONS; n++) {
            float[] h = new float[STEPS];
            float[] s = new float[STEPS];
            float v = 0;
            for (int t = 0; t < STEPS; t++) {
                float xt = x[t * NEURONS + n];
                h[t] = t == 0 ? leaky.first(xt) : leaky.gain() * xt + (leaky.keep() * v + leaky.pull());
                s[t] = HostKernels.step(h[t] - cutoff);
                v = reset == ResetMode.HARD ? h[t] - h[t] * s[t] + vr * s[t] : h[t] - threshold * s[t];
                assertEquals(s[t], fusedSpikes[t * NEURONS + n], "spike of neuron " + n + " at step " + t);
                fired += (int) s[t];
            }
            float later = 0;
            for (int t = STEPS - 1; t >= 0; t--) {
                float[] slope = {h[t] - threshold};
                surrogate.derivative(slope, slope, 1);
                float throughReset = reset == ResetMode.HARD
                        ? (detach ? 1f - s[t] : 1f - s[t] + (vr - h[t]) * slope[0])
                        : (detach ? 1f : 1f - threshold * slope[0]);
                float fromLater = t + 1 < STEPS ? leaky.keep() * (throughReset * later) : 0;
                later = t + 1 < STEPS ? g[t * NEURONS + n] * slope[0] + fromLater : g[t * NEURONS + n] * slope[0];
                assertEquals(leaky.gain() * later, fusedGradient[t * NEURONS + n],
                        "dL/dX of neuron " + n + " at step " + t);
            }
        }
        assertTrue(fired > NEURONS / 4 && fired < STEPS * NEURONS - NEURONS, "neurons fire and stay silent: " + fired);
    }
}
