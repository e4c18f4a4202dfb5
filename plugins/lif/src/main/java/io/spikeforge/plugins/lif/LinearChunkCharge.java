package io.spikeforge.plugins.lif;

import io.spikeforge.api.neuron.ChunkCharge;

/**
 * The charge step of {@code lif} and {@code if} ({@link MembraneDynamics}) in float:
 * {@code H = gain * X + (decay * V + restingPull)}, {@code H[0] = gain * X + firstCarry} with
 * {@code firstCarry = decay * initialPotential + restingPull} rounded once. Without a leak nothing
 * is carried over, not even a non-finite potential: {@code H = gain * X + restingPull}.
 */
final class LinearChunkCharge implements ChunkCharge {
    private final float gain;
    private final float decay;
    private final float restingPull;
    private final float firstCarry;
    private final boolean leaks;

    LinearChunkCharge(MembraneDynamics dynamics) {
        this.gain = (float) dynamics.inputGain();
        this.decay = (float) dynamics.decay();
        this.restingPull = (float) dynamics.restingPull();
        this.firstCarry = (float) (dynamics.decay() * dynamics.initialPotential() + dynamics.restingPull());
        this.leaks = dynamics.decay() != 0;
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
}
