package io.spikeforge.plugins.lif;

/**
 * SpikingJelly's leaky charge with the leak given as {@code k = 1/tau}: with the reset potential
 * {@code v_r} (0 for soft reset),
 * <pre>
 * decay_input=True:  H = V + k (X - (V - v_r))  =  (1 - k) V + k v_r + k X
 * decay_input=False: H = V - k (V - v_r) + X    =  (1 - k) V + k v_r + X
 * </pre>
 * and its partial derivatives {@code dH/dV = 1 - k}, {@code dH/dX = k} or 1, and
 * {@code dH/dk = v_r - V (+ X with decay_input)}.
 */
final class LeakyCharge {
    private LeakyCharge() {
    }

    /** Writes H for the leak {@code k}. */
    static void charge(double k, boolean decayInput, double resetPotential, double[] input, double[] potential,
                       double[] charged, int length) {
        double keep = 1 - k;
        double gain = decayInput ? k : 1;
        double pull = k * resetPotential;
        for (int i = 0; i < length; i++) {
            charged[i] = keep * potential[i] + pull + gain * input[i];
        }
    }

    /**
     * Writes dL/dX and dL/dV of the previous step, and returns {@code sum dL/dH dH/dk}.
     */
    static double backward(double k, boolean decayInput, double resetPotential, double[] input, double[] potential,
                           double[] gradCharged, double[] gradInput, double[] gradPotential, int length) {
        double keep = 1 - k;
        double gain = decayInput ? k : 1;
        double gradLeak = 0;
        for (int i = 0; i < length; i++) {
            double g = gradCharged[i];
            gradInput[i] = g * gain;
            gradPotential[i] = g * keep;
            gradLeak += g * (resetPotential - potential[i] + (decayInput ? input[i] : 0));
        }
        return gradLeak;
    }
}
