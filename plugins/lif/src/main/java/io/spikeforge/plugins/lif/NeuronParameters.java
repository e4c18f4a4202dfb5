package io.spikeforge.plugins.lif;

import io.spikeforge.api.component.InvalidParametersException;
import io.spikeforge.api.component.ParameterProblem;
import io.spikeforge.api.component.ParameterSpec;
import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.api.neuron.BaseNeuron;
import java.util.ArrayList;
import java.util.List;

/** The firing and reset parameters every neuron of this plugin has: their declarations and the rules that tie them together. */
final class NeuronParameters {
    static final String THRESHOLD = "threshold";
    static final String RESET = "reset";
    static final String RESET_POTENTIAL = "v_reset";
    static final String DETACH_RESET = "detach_reset";
    static final String FIRE_AT_THRESHOLD = "fire_at_threshold";

    private NeuronParameters() {
    }

    static ParameterSpec threshold(double defaultValue) {
        return ParameterSpec.number(THRESHOLD).optDefault(defaultValue).optMin(0, false)
                .optDescription("firing threshold of the membrane potential").build();
    }

    static ParameterSpec reset(ResetMode defaultMode) {
        return ParameterSpec.choice(RESET, ResetMode.HARD.word(), ResetMode.SOFT.word()).optDefault(defaultMode.word())
                .optDescription("after a spike: hard sets the potential to v_reset, soft subtracts the threshold")
                .build();
    }

    static ParameterSpec resetPotential() {
        return ParameterSpec.number(RESET_POTENTIAL).optDefault(0.0)
                .optDescription("potential after a hard reset, below the threshold (hard reset only)").build();
    }

    static ParameterSpec detachReset() {
        return detachReset(true);
    }

    static ParameterSpec detachReset(boolean defaultValue) {
        return ParameterSpec.bool(DETACH_RESET).optDefault(defaultValue)
                .optDescription("leave the reset out of the gradient (treat the spike in the reset as a constant)")
                .build();
    }

    static ParameterSpec fireAtThreshold(boolean defaultValue, String convention) {
        return ParameterSpec.bool(FIRE_AT_THRESHOLD).optDefault(defaultValue)
                .optDescription("fire when the potential equals the threshold (>=) rather than only above it (>); "
                        + convention)
                .build();
    }

    /**
     * Adds the problems of the shared parameters: soft reset has no reset potential, and a hard
     * reset's potential lies below the threshold. (Numbers are finite by their declaration.)
     */
    private static void check(ResolvedParameters parameters, List<ParameterProblem> problems) {
        double threshold = parameters.getDouble(THRESHOLD);
        double resetPotential = parameters.getDouble(RESET_POTENTIAL);
        ResetMode reset = ResetMode.fromWord(parameters.getString(RESET));
        if (reset == ResetMode.SOFT && resetPotential != 0) {
            problems.add(new ParameterProblem(RESET_POTENTIAL, "applies to reset: hard only; with reset: soft it"
                    + " must be 0, got " + resetPotential));
        }
        if (reset == ResetMode.HARD && resetPotential >= threshold) {
            problems.add(new ParameterProblem(RESET_POTENTIAL, "must be below threshold (" + threshold
                    + ") for a hard reset to silence the neuron, got " + resetPotential));
        }
    }

    /**
     * The firing and reset the parameters describe, for neurons written on {@link BaseNeuron}; they
     * must have passed {@link #check}.
     */
    static BaseNeuron.Firing firing(ResolvedParameters parameters, boolean trainableThreshold) {
        return new BaseNeuron.Firing(parameters.getDouble(THRESHOLD), trainableThreshold,
                ResetMode.fromWord(parameters.getString(RESET)) == ResetMode.SOFT,
                parameters.getDouble(RESET_POTENTIAL), parameters.getBoolean(DETACH_RESET),
                parameters.getBoolean(FIRE_AT_THRESHOLD));
    }

    /**
     * A provider's validation: the shared rules of {@link #check} and the provider's own problems;
     * throws when there are any.
     *
     * @param own the problems the provider found in its own parameters
     * @throws InvalidParametersException naming every problem
     */
    static void validate(ResolvedParameters parameters, List<ParameterProblem> own) {
        List<ParameterProblem> problems = new ArrayList<>();
        check(parameters, problems);
        problems.addAll(own);
        if (!problems.isEmpty()) {
            throw new InvalidParametersException(problems);
        }
    }
}
