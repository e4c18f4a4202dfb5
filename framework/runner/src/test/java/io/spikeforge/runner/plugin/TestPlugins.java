package io.spikeforge.runner.plugin;

/** Plugin sources the plugin host tests build into jars; none of them is a bundled plugin. */
final class TestPlugins {
    /** The class of {@link #SIGMOID_SOURCE}. */
    static final String SIGMOID_CLASS = "com.example.sigmoid.SigmoidSurrogateProvider";

    /** A {@code sigmoid} surrogate function: {@code alpha * s * (1 - s)} with {@code s = sigmoid(alpha * u)}. */
    static final String SIGMOID_SOURCE = """
            package com.example.sigmoid;

            import io.spikeforge.api.component.ParameterSchema;
            import io.spikeforge.api.component.ParameterSpec;
            import io.spikeforge.api.component.ResolvedParameters;
            import io.spikeforge.api.neuron.SurrogateFunction;
            import io.spikeforge.api.neuron.SurrogateFunctionProvider;
            import org.nd4j.linalg.api.ndarray.INDArray;
            import org.nd4j.linalg.ops.transforms.Transforms;
            import org.pf4j.Extension;

            @Extension
            public class SigmoidSurrogateProvider implements SurrogateFunctionProvider {
                @Override
                public String id() {
                    return "sigmoid";
                }

                @Override
                public String description() {
                    return "Sigmoid surrogate gradient.";
                }

                @Override
                public ParameterSchema parameters() {
                    return ParameterSchema.of(ParameterSpec.number("alpha").optDefault(4.0).optMin(0, false).build());
                }

                @Override
                public SurrogateFunction create(ResolvedParameters parameters) {
                    double alpha = parameters.getDouble("alpha");
                    return new SurrogateFunction() {
                        @Override
                        public double derivative(double u) {
                            double s = 1 / (1 + Math.exp(-alpha * u));
                            return alpha * s * (1 - s);
                        }

                        @Override
                        public INDArray derivative(INDArray u, INDArray out) {
                            INDArray s = Transforms.sigmoid(u.mul(alpha), false);
                            return out.assign(s.rsub(1.0).muli(s).muli(alpha));
                        }
                    };
                }
            }
            """;

    /**
     * An {@code l2-kd} distillation loss, {@code weight * sum((s - t)^2) / (2B)}, that injects
     * {@link HostInfo} through an {@code @Inject} constructor and names it in its description.
     */
    static final String L2_KD_SOURCE = """
            package com.example.kd;

            import io.spikeforge.api.component.ParameterSchema;
            import io.spikeforge.api.component.ParameterSpec;
            import io.spikeforge.api.component.ResolvedParameters;
            import io.spikeforge.api.distill.DistillationLoss;
            import io.spikeforge.api.distill.DistillationLossProvider;
            import io.spikeforge.api.distill.LossValue;
            import io.spikeforge.api.HostInfo;
            import jakarta.inject.Inject;
            import java.util.Map;
            import org.nd4j.linalg.api.ndarray.INDArray;
            import org.pf4j.Extension;

            @Extension
            public class L2DistillationProvider implements DistillationLossProvider {
                private final HostInfo host;

                @Inject
                public L2DistillationProvider(HostInfo host) {
                    this.host = host;
                }

                @Override
                public String id() {
                    return "l2-kd";
                }

                @Override
                public String description() {
                    return "L2 logit matching on Spikeforge " + host.spikeforgeVersion() + " (" + host.nd4jBackend() + ")";
                }

                @Override
                public ParameterSchema parameters() {
                    return ParameterSchema.of(ParameterSpec.number("weight").optDefault(1.0).build());
                }

                @Override
                public DistillationLoss create(ResolvedParameters parameters) {
                    double weight = parameters.getDouble("weight");
                    return (student, teacher, labels) -> {
                        long batch = student.size(0);
                        INDArray difference = student.sub(teacher);
                        double value = weight * difference.mul(difference).sumNumber().doubleValue() / (2.0 * batch);
                        return new LossValue(value, difference.muli(weight / batch), Map.of("kd", value));
                    };
                }
            }
            """;

    /** An extension whose constructor throws. */
    static final String FAILING_SOURCE = """
            package com.example.failing;

            import io.spikeforge.api.component.ParameterSchema;
            import io.spikeforge.api.component.ResolvedParameters;
            import io.spikeforge.api.neuron.SurrogateFunction;
            import io.spikeforge.api.neuron.SurrogateFunctionProvider;
            import org.pf4j.Extension;

            @Extension
            public class FailingProvider implements SurrogateFunctionProvider {
                public FailingProvider() {
                    throw new IllegalStateException("no licence for this surrogate");
                }

                public String id() { return "failing"; }
                public String description() { return "Never built."; }
                public ParameterSchema parameters() { return ParameterSchema.empty(); }
                public SurrogateFunction create(ResolvedParameters parameters) { return null; }
            }
            """;

    /**
     * A provider built against another API: it is created, but its parameter schema throws the
     * {@link LinkageError} a changed API gives.
     */
    static final String BROKEN_SCHEMA_SOURCE = """
            package com.example.broken;

            import io.spikeforge.api.component.ParameterSchema;
            import io.spikeforge.api.component.ResolvedParameters;
            import io.spikeforge.api.neuron.SurrogateFunction;
            import io.spikeforge.api.neuron.SurrogateFunctionProvider;
            import org.pf4j.Extension;

            @Extension
            public class BrokenSchemaProvider implements SurrogateFunctionProvider {
                public String id() { return "broken-schema"; }
                public String description() { return "Its schema needs another API."; }
                public ParameterSchema parameters() {
                    throw new NoSuchMethodError("'io.spikeforge.api.component.ParameterSpec ParameterSpec.of()'");
                }
                public SurrogateFunction create(ResolvedParameters parameters) { return null; }
            }
            """;

    /** An extension Guice cannot build: its only constructor takes a value and is not {@code @Inject}. */
    static final String UNINJECTABLE_SOURCE = """
            package com.example.failing;

            import io.spikeforge.api.component.ParameterSchema;
            import io.spikeforge.api.component.ResolvedParameters;
            import io.spikeforge.api.neuron.SurrogateFunction;
            import io.spikeforge.api.neuron.SurrogateFunctionProvider;
            import org.pf4j.Extension;

            @Extension
            public class UninjectableProvider implements SurrogateFunctionProvider {
                private final String id;

                public UninjectableProvider(String id) {
                    this.id = id;
                }

                public String id() { return id; }
                public String description() { return "Never built."; }
                public ParameterSchema parameters() { return ParameterSchema.empty(); }
                public SurrogateFunction create(ResolvedParameters parameters) { return null; }
            }
            """;

    /** Two extensions the host cannot register: one of no extension point, one without an id. */
    static final String ODD_EXTENSIONS_SOURCE = """
            package com.example.odd;

            import io.spikeforge.api.component.ComponentProvider;
            import io.spikeforge.api.component.ParameterSchema;
            import io.spikeforge.api.component.ResolvedParameters;
            import io.spikeforge.api.neuron.SurrogateFunction;
            import io.spikeforge.api.neuron.SurrogateFunctionProvider;
            import org.pf4j.Extension;

            public class OddExtensions {
                @Extension
                public static class PointlessProvider implements ComponentProvider {
                    public String id() { return "pointless"; }
                    public String description() { return "Of no extension point."; }
                    public ParameterSchema parameters() { return ParameterSchema.empty(); }
                }

                @Extension
                public static class NamelessProvider implements SurrogateFunctionProvider {
                    public String id() { return " "; }
                    public String description() { return "Without an id."; }
                    public ParameterSchema parameters() { return ParameterSchema.empty(); }
                    public SurrogateFunction create(ResolvedParameters parameters) { return null; }
                }
            }
            """;

    private TestPlugins() {
    }

    /** A plugin that supplies the {@code sigmoid} surrogate function. */
    static PluginJarBuilder sigmoid(String pluginId, String version) {
        return PluginJarBuilder.plugin(pluginId, version).source(SIGMOID_CLASS, SIGMOID_SOURCE);
    }
}
