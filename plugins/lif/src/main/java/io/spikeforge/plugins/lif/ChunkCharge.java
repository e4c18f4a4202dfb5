package io.spikeforge.plugins.lif;

/**
 * A neuron's charge step {@code H[t] = f(V[t-1], X[t])} in chunk form, for {@link FloatMembraneKernel}:
 * the kernel drives the chunks over time and neurons, fires and resets; the charge step only maps
 * float arrays of one chunk and step. The loops are over heap arrays without branches, so the JIT
 * vectorizes them. Arrays may alias where the methods say so; {@code length} elements are used.
 */
interface ChunkCharge {
    /** Writes H[0] from X[0] and the initial potential; {@code charged} may be {@code input}. */
    void chargeFirst(float[] input, float[] charged, int length);

    /**
     * Writes H[t] from X[t] and the potential V[t-1] after the previous reset; {@code charged} may be
     * {@code input}. Not called when {@link #usesPotential()} is false.
     */
    void charge(float[] input, float[] potential, float[] charged, int length);

    /** Whether H depends on the previous potential; if not, {@link #chargeFirst} charges every step. */
    boolean usesPotential();

    /** Writes dL/dV[t-1] = dL/dH[t] dH/dV; {@code gradPotential} may be {@code gradCharged}. */
    void potentialGradient(float[] gradCharged, float[] gradPotential, int length);

    /** Writes dL/dX[t] = dL/dH[t] dH/dX; {@code gradInput} may be {@code gradCharged}. */
    void inputGradient(float[] gradCharged, float[] gradInput, int length);
}
