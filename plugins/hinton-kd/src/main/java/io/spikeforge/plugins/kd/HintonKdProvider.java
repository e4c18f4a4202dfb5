package io.spikeforge.plugins.kd;

import io.spikeforge.api.component.ParameterSchema;
import io.spikeforge.api.component.ParameterSpec;
import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.api.distill.DistillationLoss;
import io.spikeforge.api.distill.DistillationLossProvider;
import org.pf4j.Extension;

/**
 * Provides {@link HintonKdLoss} under the id {@code hinton-kd}.
 *
 * <p>Parameters:
 * <ul>
 *   <li>{@code temperature} (default 4, {@code > 0}): the softening temperature T.</li>
 *   <li>{@code combine} (default {@code sum}): {@code sum} is {@code CE + weight * KD}, the IDSNN
 *       reference; {@code mix} is {@code (1 - alpha) * CE + alpha * KD}, Hinton's original form.</li>
 *   <li>{@code weight} (default 0.3, {@code >= 0}): the KD weight of {@code sum}. IDSNN uses 0.3 with
 *       cross-entropy and 0.5 in its KD-only ablation.</li>
 *   <li>{@code alpha} (default 0.9, in [0, 1]): the KD share of {@code mix}. 0.9 is the common
 *       choice in public Hinton-KD recipes for CIFAR; IDSNN does not use {@code mix}.</li>
 * </ul>
 * Each style reads only its own weight; the other one is ignored. Parameters are resolved with
 * their defaults filled in, so a value given for the unused style cannot be told apart from its
 * default and is not reported.
 */
@Extension
public final class HintonKdProvider implements DistillationLossProvider {
    /** The component id used in experiment YAML. */
    public static final String ID = "hinton-kd";

    private static final ParameterSchema SCHEMA = ParameterSchema.of(
            ParameterSpec.number("temperature").optDefault(4.0).optMin(0, false)
                    .optDescription("softening temperature T; the KD term is scaled by T^2").build(),
            ParameterSpec.choice("combine", "sum", "mix").optDefault("sum")
                    .optDescription("sum: CE + weight * KD (IDSNN); mix: (1 - alpha) * CE + alpha * KD (Hinton)").build(),
            ParameterSpec.number("weight").optDefault(0.3).optMin(0, true)
                    .optDescription("KD weight when combine is sum").build(),
            ParameterSpec.number("alpha").optDefault(0.9).optRange(0, 1)
                    .optDescription("KD share when combine is mix").build());

    /** Needed by PF4J, which instantiates extensions reflectively. */
    public HintonKdProvider() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Hinton knowledge distillation: T^2 * KL(softmax(teacher/T) || softmax(student/T)) combined with cross-entropy";
    }

    @Override
    public ParameterSchema parameters() {
        return SCHEMA;
    }

    @Override
    public DistillationLoss create(ResolvedParameters parameters) {
        double temperature = parameters.getDouble("temperature");
        String combine = parameters.getString("combine");
        return switch (combine) {
            case "sum" -> HintonKdLoss.sum(temperature, parameters.getDouble("weight"));
            case "mix" -> HintonKdLoss.mix(temperature, parameters.getDouble("alpha"));
            default -> throw new IllegalArgumentException("combine must be sum or mix, got '" + combine + "'");
        };
    }
}
