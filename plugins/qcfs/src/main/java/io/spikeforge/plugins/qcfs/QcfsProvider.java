package io.spikeforge.plugins.qcfs;

import io.spikeforge.api.activation.AnnActivation;
import io.spikeforge.api.activation.AnnActivationProvider;
import io.spikeforge.api.component.ParameterSchema;
import io.spikeforge.api.component.ParameterSpec;
import io.spikeforge.api.component.ResolvedParameters;
import org.nd4j.linalg.api.buffer.DataType;
import org.pf4j.Extension;

/**
 * Provides {@link QcfsActivation} under the id {@code qcfs}, one trainable threshold per layer.
 *
 * <p>Parameters:
 * <ul>
 *   <li>{@code levels} (default 4, at least 1): L, the quantization steps. The paper uses 4 on CIFAR
 *       and 8 on ImageNet; the authors' code defaults to 8.</li>
 *   <li>{@code threshold} (default 8, {@code > 0}): the initial lambda of every layer, as in the
 *       authors' code ({@code thresh=8.0}); training moves each layer's own.</li>
 * </ul>
 */
@Extension
public final class QcfsProvider implements AnnActivationProvider {
    /** The component id used in experiment YAML. */
    public static final String ID = "qcfs";

    private static final ParameterSchema SCHEMA = ParameterSchema.of(
            ParameterSpec.integer("levels").optDefault(4L).optMin(1, true)
                    .optDescription("L, the quantization steps (4 for CIFAR, 8 for ImageNet in the paper)").build(),
            ParameterSpec.number("threshold").optDefault(8.0).optMin(0, false)
                    .optDescription("initial lambda of every layer, trained per layer; the converted"
                            + " neurons' threshold").build());

    /** Needed by PF4J, which instantiates extensions reflectively. */
    public QcfsProvider() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Quantization clip-floor-shift activation: lambda * clip(floor(x * L / lambda + 1/2) / L, 0, 1),"
                + " lambda trained per layer (straight-through floor); converts with threshold lambda";
    }

    @Override
    public ParameterSchema parameters() {
        return SCHEMA;
    }

    @Override
    public AnnActivation create(ResolvedParameters parameters, int channels, DataType dataType) {
        return new QcfsActivation(parameters.getInt("levels"), parameters.getDouble("threshold"), dataType);
    }
}
