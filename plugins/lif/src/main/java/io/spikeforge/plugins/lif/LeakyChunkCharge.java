package io.spikeforge.plugins.lif;

import io.spikeforge.api.neuron.ChunkCharge;

/**
 * {@link LeakyCharge} in float chunk form for the fused kernel, at one value of the leak
 * {@code k = 1/tau}: {@code H = gain X + (keep V + pull)} with {@code keep = 1 - k},
 * {@code pull = k v_r}, {@code gain = k} (decay_input) or 1. With {@code trainableLeak}, the charge has
 * one parameter, plif's {@code w} with {@code k = sigmoid(w)}: its gradient is
 * {@code sum dL/dH dH/dk * k (1 - k)}, {@code dH/dk = v_r - V (+ X with decay_input)}.
 */
final class LeakyChunkCharge implements ChunkCharge {
    private final float keep;
    private final float pull;
    private final float gain;
    private final float firstCarry;
    private final float resetPotential;
    private final boolean decayInput;
    /** dk/dw, 0 for a fixed leak. */
    private final double leakSlope;

    /**
     * @param k the leak 1/tau
     * @param trainableLeak whether k is {@code sigmoid(w)} of a trainable w (the parameter's gradient is dL/dw)
     */
    LeakyChunkCharge(double k, boolean decayInput, double resetPotential, boolean trainableLeak) {
        this.keep = (float) (1 - k);
        this.pull = (float) (k * resetPotential);
        this.gain = decayInput ? (float) k : 1f;
        // V[-1] = v_r: H[0] = gain X + (1 - k) v_r + k v_r
        this.firstCarry = (float) ((1 - k) * resetPotential + k * resetPotential);
        this.resetPotential = (float) resetPotential;
        this.decayInput = decayInput;
        this.leakSlope = trainableLeak ? k * (1 - k) : 0;
    }

    @Override
    public void chargeFirst(float[] input, float[] charged, int length) {
        for (int i = 0; i < length; i++) {
            charged[i] = gain * input[i] + firstCarry;
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

    /** At the first step {@code V = v_r}, so {@code dH/dk} is X with decay_input, else 0. */
    @Override
    public void parameterGradientFirst(float[] input, float[] gradCharged, int length, double[] sums) {
        if (!decayInput) {
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
        float inputShare = decayInput ? 1f : 0f;
        double sum = 0;
        for (int i = 0; i < length; i++) {
            sum += gradCharged[i] * (resetPotential - potential[i] + inputShare * input[i]);
        }
        sums[0] += sum * leakSlope;
    }
}
