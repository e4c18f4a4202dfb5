package io.spikeforge.plugins.loopinit;

import io.spikeforge.api.component.ParameterSchema;
import io.spikeforge.api.component.ParameterSpec;
import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.api.init.InitializationStrategy;
import io.spikeforge.api.init.InitializationStrategyProvider;
import org.pf4j.Extension;

/**
 * Provides {@link LoopInterpolation} under the id {@code loop-interpolation}.
 *
 * <p>Parameters:
 * <ul>
 *   <li>{@code block_mapping} (default {@code first}): {@code first} takes teacher block j for student
 *       block j (the IDSNN reference); {@code relative} takes teacher block
 *       {@code round(j * (n_t - 1) / (n_s - 1))}, keeping each block's relative depth (see
 *       {@link BlockMapping}).</li>
 *   <li>{@code transfer_stem} (default true): transfer the stem convolution and BN.</li>
 *   <li>{@code transfer_shortcut} (default false): transfer the shortcut (downsample) convolutions
 *       and BNs, which the reference code leaves to the student's own initialization.</li>
 * </ul>
 */
@Extension
public final class LoopInterpolationProvider implements InitializationStrategyProvider {
    /** The component id used in experiment YAML. */
    public static final String ID = "loop-interpolation";

    private static final ParameterSchema SCHEMA = ParameterSchema.of(
            ParameterSpec.choice("block_mapping", "first", "relative").optDefault("first")
                    .optDescription("first: student block j <- teacher block j (IDSNN); relative: keep relative depth").build(),
            ParameterSpec.bool("transfer_stem").optDefault(true)
                    .optDescription("transfer the stem convolution and BN").build(),
            ParameterSpec.bool("transfer_shortcut").optDefault(false)
                    .optDescription("transfer the shortcut (downsample) convolutions and BNs; IDSNN does not").build());

    /** Needed by PF4J, which instantiates extensions reflectively. */
    public LoopInterpolationProvider() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "IDSNN initialization of a ResNet from a ResNet (not VGG): teacher blocks mapped per stage, channels by"
                + " loop interpolation";
    }

    @Override
    public ParameterSchema parameters() {
        return SCHEMA;
    }

    @Override
    public InitializationStrategy create(ResolvedParameters parameters) {
        return new LoopInterpolation(BlockMapping.fromParameter(parameters.getString("block_mapping")),
                parameters.getBoolean("transfer_stem"), parameters.getBoolean("transfer_shortcut"));
    }
}
