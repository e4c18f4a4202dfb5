package io.spikeforge.plugins.lif;

import io.spikeforge.api.neuron.SurrogateFunction;
import io.spikeforge.testkit.neuron.ScalarNeuronReference;
import java.util.function.DoubleUnaryOperator;

/**
 * An independent scalar-loop reference of one LIF/IF neuron, written from SpikingJelly's formulas
 * ({@code 1/tau = 1 - decay}) rather than from {@link MembraneDynamics}:
 * <pre>
 * decay_input:     H = V + (X - (V - v_reset)) / tau
 * not decay_input: H = V - (V - v_reset) / tau + X
 * S = spike(H - threshold)
 * hard: V = (1 - S) * H + S * v_reset      soft: V = H - threshold * S
 * </pre>
 * and the gradient by back-propagation through time, one chain-rule factor at a time. The spike
 * function is a parameter: a step for comparison with the neuron, or a smooth function for checking
 * the gradient against finite differences.
 */
final class LifReference implements ScalarNeuronReference {
    /**
     * One neuron's settings.
     *
     * @param decay leak factor {@code 1 - 1/tau}
     * @param decayInput whether the input is divided by tau
     * @param threshold firing threshold
     * @param hardReset hard (true) or soft reset
     * @param resetPotential v_reset
     * @param detachReset whether the spike inside the reset is a constant for the gradient
     * @param fireAtThreshold whether {@code H == threshold} fires
     * @param initialPotential V before the first step
     */
    record Config(double decay, boolean decayInput, double threshold, boolean hardReset, double resetPotential,
                  boolean detachReset, boolean fireAtThreshold, double initialPotential) {
    }

    /** Charges and spikes of one run. */
    record Trace(double[] charges, double[] spikes) {
    }

    private final Config config;
    private final DoubleUnaryOperator spike;
    private final DoubleUnaryOperator slope;

    private LifReference(Config config, DoubleUnaryOperator spike, DoubleUnaryOperator slope) {
        this.config = config;
        this.spike = spike;
        this.slope = slope;
    }

    /** The reference of the spiking neuron: a step forward, the surrogate backward. */
    static LifReference withStep(Config config, SurrogateFunction surrogate) {
        return new LifReference(config, u -> (config.fireAtThreshold() ? u >= 0 : u > 0) ? 1 : 0,
                surrogate::derivative);
    }

    /** A smooth relaxation, {@code S = sigmoid(k u)}, whose exact gradient finite differences can check. */
    static LifReference smooth(Config config, double sharpness) {
        DoubleUnaryOperator sigmoid = u -> 1 / (1 + Math.exp(-sharpness * u));
        return new LifReference(config, sigmoid,
                u -> sharpness * sigmoid.applyAsDouble(u) * (1 - sigmoid.applyAsDouble(u)));
    }

    @Override
    public double[] spikes(double[] current) {
        return trace(current, null).spikes();
    }

    /**
     * Runs the neuron.
     *
     * @param resetSpikes when not null, the spikes the reset uses instead of the live ones: how a
     *     detached reset looks to finite differences
     */
    Trace trace(double[] current, double[] resetSpikes) {
        double inverseTau = 1 - config.decay();
        double resetPotential = config.resetPotential();
        double[] charges = new double[current.length];
        double[] spikes = new double[current.length];
        double v = config.initialPotential();
        for (int t = 0; t < current.length; t++) {
            double h = config.decayInput()
                    ? v + (current[t] - (v - resetPotential)) * inverseTau
                    : v - (v - resetPotential) * inverseTau + current[t];
            double s = spike.applyAsDouble(h - config.threshold());
            double resetSpike = resetSpikes == null ? s : resetSpikes[t];
            v = config.hardReset() ? (1 - resetSpike) * h + resetSpike * resetPotential : h - config.threshold() * resetSpike;
            charges[t] = h;
            spikes[t] = s;
        }
        return new Trace(charges, spikes);
    }

    @Override
    public double[] gradient(double[] current, double[] gradSpikes) {
        Trace trace = trace(current, null);
        double[] h = trace.charges();
        double[] s = trace.spikes();
        double dChargeByPotential = config.decay();
        double dChargeByInput = config.decayInput() ? 1 - config.decay() : 1;
        double[] gradient = new double[current.length];
        double gradNextCharge = 0;
        for (int t = current.length - 1; t >= 0; t--) {
            double dSpikeByCharge = slope.applyAsDouble(h[t] - config.threshold());
            double dPotentialByCharge;
            if (config.hardReset()) {
                dPotentialByCharge = (1 - s[t])
                        + (config.detachReset() ? 0 : (config.resetPotential() - h[t]) * dSpikeByCharge);
            } else {
                dPotentialByCharge = 1 - (config.detachReset() ? 0 : config.threshold() * dSpikeByCharge);
            }
            double gradCharge = gradSpikes[t] * dSpikeByCharge
                    + gradNextCharge * dChargeByPotential * dPotentialByCharge;
            gradient[t] = gradCharge * dChargeByInput;
            gradNextCharge = gradCharge;
        }
        return gradient;
    }
}
