package io.spikeforge.plugins.lif;

import io.spikeforge.api.neuron.ChunkCharge;

/**
 * The charge step of every neuron of this plugin in float chunk form:
 * {@code H = gain * X + (decay * V + restingPull)}, {@code H[0] = gain * X + firstCarry} with
 * {@code firstCarry = decay * initialPotential + restingPull} rounded once. Without a leak nothing
 * is carried over, not even a non-finite potential: {@code H = gain * X + restingPull}.
 *
 * <p>{@link #of(MembraneDynamics)} is the charge of {@code lif} and {@code if};
 * {@link #leaky} is SpikingJelly's LIF charge ({@link LeakyCharge}) at the leak {@code k = 1/tau},
 * {@code decay = 1 - k}, {@code restingPull = k v_r}, {@code gain = k} (decay_input) or 1, starting
 * from {@code v_r}. With a trainable leak (plif's {@code k = sigmoid(w)}) the charge has one
 * parameter, w: its gradient is {@code sum dL/dH dH/dk * k (1 - k)}, {@code dH/dk = v_r - V (+ X with
 * decay_input)}.
 */
final class LinearChunkCharge implements ChunkCharge {
    private final float gain;
    private final float decay;
    private final float restingPull;
    private final float firstCarry;
    private final boolean leaks;
    /** For the trainable leak: v_r, whether dH/dk has X, and dk/dw (0 without a trainable leak). */
    private final float resetPotential;
    private final boolean inputInLeakGradient;
    private final double leakSlope;

    private LinearChunkCharge(float gain, float decay, float restingPull, float firstCarry, boolean leaks,
                              float resetPotential, boolean inputInLeakGradient, double leakSlope) {
        this.gain = gain;
        this.decay = decay;
        this.restingPull = restingPull;
        this.firstCarry = firstCarry;
        this.leaks = leaks;
        this.resetPotential = resetPotential;
        this.inputInLeakGradient = inputInLeakGradient;
        this.leakSlope = leakSlope;
    }

    /** The charge of {@code lif} and {@code if}. */
    static LinearChunkCharge of(MembraneDynamics dynamics) {
        return new LinearChunkCharge((float) dynamics.inputGain(), (float) dynamics.decay(),
                (float) dynamics.restingPull(),
                (float) (dynamics.decay() * dynamics.initialPotential() + dynamics.restingPull()),
                dynamics.decay() != 0, 0, false, 0);
    }

    /**
     * SpikingJelly's LIF charge at the leak {@code k}.
     *
     * @param trainableLeak whether k is {@code sigmoid(w)} of a trainable w, the charge's one parameter
     */
    static LinearChunkCharge leaky(double k, boolean decayInput, double resetPotential, boolean trainableLeak) {
        return new LinearChunkCharge(decayInput ? (float) k : 1f, (float) (1 - k), (float) (k * resetPotential),
                (float) ((1 - k) * resetPotential + k * resetPotential), trainableLeak || k != 1,
                (float) resetPotential, decayInput, trainableLeak ? k * (1 - k) : 0);
    }

    @Override
    public void chargeFirst(float[] input, float[] charged, int length) {
        float carry = firstCarry;
        for (int i = 0; i < length; i++) {
            charged[i] = gain * input[i] + carry;
        }
    }

    @Override
    public void charge(float[] input, float[] potential, float[] charged, int length) {
        for (int i = 0; i < length; i++) {
            charged[i] = gain * input[i] + (decay * potential[i] + restingPull);
        }
    }

    @Override
    public boolean usesPotential() {
        return leaks;
    }

    @Override
    public void potentialGradient(float[] gradCharged, float[] gradPotential, int length) {
        for (int i = 0; i < length; i++) {
            gradPotential[i] = decay * gradCharged[i];
        }
    }

    @Override
    public void inputGradient(float[] gradCharged, float[] gradInput, int length) {
        if (gain == 1f) {
            System.arraycopy(gradCharged, 0, gradInput, 0, length);
            return;
        }
        for (int i = 0; i < length; i++) {
            gradInput[i] = gain * gradCharged[i];
        }
    }

    /** At the first step {@code V = v_r}, so {@code dH/dk} is X with decay_input, else 0. */
    @Override
    public void parameterGradientFirst(float[] input, float[] gradCharged, int length, double[] sums) {
        if (!inputInLeakGradient) {
            return;
        }
        double sum = 0;
        for (int i = 0; i < length; i++) {
            sum += gradCharged[i] * input[i];
        }
        sums[0] += sum * leakSlope;
    }

    @Override
    public void parameterGradient(float[] input, float[] potential, float[] gradCharged, int length,
                                  double[] sums) {
        float inputShare = inputInLeakGradient ? 1f : 0f;
        double sum = 0;
        for (int i = 0; i < length; i++) {
            sum += gradCharged[i] * (resetPotential - potential[i] + inputShare * input[i]);
        }
        sums[0] += sum * leakSlope;
    }
}
