package io.spikeforge.api.neuron;

/**
 * A neuron's charge step {@code H[t] = f(V[t-1], X[t])} in chunk form, for {@link FloatChunkKernel}:
 * the kernel drives the chunks over time and neurons, fires, resets and back-propagates through
 * both; the charge step only maps float arrays of one chunk and step. Loops over heap arrays without
 * branches are vectorized by the JIT. Arrays may alias where the methods say so; {@code length}
 * elements are used. An instance holds the charge's constants at the current values of its
 * parameters ({@link BaseNeuron#chunkCharge()} makes one per forward), and is called from several
 * threads at once, on different chunks: it keeps no mutable state.
 *
 * <p>The kernel needs the potential's derivative {@code dH/dV} to be independent of the state
 * (a constant per layer, as for every leaky or non-leaky linear charge), since
 * {@link #potentialGradient} sees only the gradient.
 */
public interface ChunkCharge {
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

    /**
     * Adds the gradient of the first step's charge ({@link #chargeFirst}) to {@code sums}: entry
     * {@code j} gets {@code sum over i of dL/dH[i] dH[i]/dp_j}, {@code p} the elements of the
     * neuron's {@linkplain BaseNeuron#chargeParameters() charge parameters} in order. Only called
     * for charges with parameters; the kernel keeps the input X for it.
     *
     * @param input X of the step
     * @param gradCharged dL/dH of the step
     * @param sums one entry per parameter element, added to
     */
    default void parameterGradientFirst(float[] input, float[] gradCharged, int length, double[] sums) {
        throw new UnsupportedOperationException(getClass().getName() + " has no parameter gradient");
    }

    /**
     * {@link #parameterGradientFirst} for a later step ({@link #charge}), with the potential V[t-1]
     * after the previous reset.
     */
    default void parameterGradient(float[] input, float[] potential, float[] gradCharged, int length,
                                   double[] sums) {
        throw new UnsupportedOperationException(getClass().getName() + " has no parameter gradient");
    }
}
