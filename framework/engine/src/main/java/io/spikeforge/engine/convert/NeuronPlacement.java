package io.spikeforge.engine.convert;

import io.spikeforge.api.config.YamlChoice;

/**
 * Where the spiking neurons of a converted residual block sit. Every placement keeps the ANN's
 * function in the limit of many time-steps: each neuron added where the ANN has no activation
 * replaces an identity on values inside its range (non-negative block inputs, or signed branch
 * values for signed neurons), so with thresholds at least the largest value it carries and T
 * growing, its output rate times the threshold converges to its input.
 *
 * <p>Sites are named after SpikingJelly's spiking ResNet: {@code layer<s>.<b>.sn1} after
 * {@code bn1}, {@code layer<s>.<b>.sn2} after the addition, and the added ones
 * {@code layer<s>.<b>.shortcut_sn} and {@code layer<s>.<b>.main_sn}.
 */
public enum NeuronPlacement implements YamlChoice {
    /**
     * The standard conversion: the ANN's activations become neurons and nothing else, so one neuron
     * after the addition of the main path ({@code bn2}) and the shortcut ({@code sn2}). The shortcut
     * carries the block input's spikes (or the projection's currents) into the sum unchanged.
     */
    AFTER_ADDITION("after-addition"),
    /**
     * An extra IF neuron on the shortcut ({@code shortcut_sn}), at the shortcut's input: it re-codes
     * the block input's spikes with a threshold chosen for the shortcut, so that both branches
     * reach the addition with spikes of a comparable scale; a projection shortcut then takes those
     * spikes. ANN equivalence: the block input is the output of a ReLU (or another non-negative
     * activation), so the ANN function at that site is the identity, which the neuron reproduces
     * for inputs in {@code [0, threshold]}.
     */
    SHORTCUT_NEURON("shortcut-neuron"),
    /**
     * Neurons on each branch before the addition: a signed IF neuron on the main path after
     * {@code bn2} ({@code main_sn}), which fires a spike of {@code +theta} at {@code v >= theta} and
     * of {@code -theta} below {@code (2f - 1) * theta} (the mirror image of the positive side for
     * f = 0.5), and the shortcut neuron of {@link #SHORTCUT_NEURON}; then the neuron after the
     * addition. Both inputs of the addition are spike trains. ANN equivalence: a signed neuron
     * approximates the identity on {@code [-theta, theta]}, so with thresholds at the largest
     * magnitude the block computes the ANN's {@code relu(main + shortcut)} as T grows. A strategy
     * sees the magnitudes of a signed site's ANN values.
     */
    BRANCH_NEURONS("branch-neurons");

    private final String yamlName;

    NeuronPlacement(String yamlName) {
        this.yamlName = yamlName;
    }

    @Override
    public String yamlName() {
        return yamlName;
    }
}
