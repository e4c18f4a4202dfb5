package io.spikeforge.runner.pipeline;

import io.spikeforge.runner.plugin.PluginJarBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A plugin built against another version of a library than the one it ships with: its
 * distillation loss {@value #ID} calls {@code Scale.factor()}, which the packaged {@code Scale}
 * lacks, so the JVM throws a real {@link NoSuchMethodError} (a {@link LinkageError}) from plugin
 * code when the loss reaches that call: at its first training step ({@link #writeJar}), or already
 * on the trial batch of two images that the run gives every component before training
 * ({@link #writeJarFailingAtOnce}), or when the provider checks its parameters while an experiment
 * is loaded ({@link #writeJarFailingItsCheck}).
 */
public final class OutdatedPlugin {
    /** The distillation loss's id. */
    public static final String ID = "outdated-kd";
    /** The method the error names. */
    public static final String MISSING_METHOD = "'double com.example.outdated.Scale.factor()'";

    private static final String SCALE_CLASS = "com.example.outdated.Scale";
    private static final String PROVIDER_SOURCE = """
            package com.example.outdated;

            import io.spikeforge.api.component.ParameterSchema;
            import io.spikeforge.api.component.ResolvedParameters;
            import io.spikeforge.api.distill.DistillationLoss;
            import io.spikeforge.api.distill.DistillationLossProvider;
            import org.pf4j.Extension;

            @Extension
            public class OutdatedKdProvider implements DistillationLossProvider {
                @Override
                public String id() {
                    return "outdated-kd";
                }

                @Override
                public String description() {
                    return "Distillation built against Scale 2, shipped with Scale 1.";
                }

                @Override
                public ParameterSchema parameters() {
                    return ParameterSchema.empty();
                }

                @Override
                public void validate(ResolvedParameters parameters) {
                    if (CHECK_CONDITION) {
                        throw new IllegalStateException("unreachable: factor " + Scale.factor());
                    }
                }

                @Override
                public DistillationLoss create(ResolvedParameters parameters) {
                    return (student, teacher, labels) -> {
                        if (CONDITION) {
                            throw new IllegalStateException("unreachable: factor " + Scale.factor());
                        }
                        return new io.spikeforge.api.distill.LossValue(0, student.mul(0), java.util.Map.of());
                    };
                }
            }
            """;

    private OutdatedPlugin() {
    }

    /**
     * Writes the plugin's jar into a folder and returns it: its loss works on the run's trial batch
     * of two images and fails at the first training step (a path the trial does not take).
     */
    public static Path writeJar(Path folder) throws IOException {
        return writeJar(folder, "false", "student.size(0) > 2");
    }

    /** Writes a jar of the plugin whose loss fails on every call, the trial batch included. */
    public static Path writeJarFailingAtOnce(Path folder) throws IOException {
        return writeJar(folder, "false", "true");
    }

    /** Writes a jar of the plugin whose check of its parameters fails, when an experiment is loaded. */
    public static Path writeJarFailingItsCheck(Path folder) throws IOException {
        return writeJar(folder, "true", "true");
    }

    private static Path writeJar(Path folder, String checkCondition, String condition) throws IOException {
        Path built = Files.createTempDirectory("outdated-plugin");
        PluginJarBuilder.plugin(ID, "1.0.0")
                .source("com.example.outdated.OutdatedKdProvider", PROVIDER_SOURCE
                        .replace("CHECK_CONDITION", checkCondition).replace("CONDITION", condition))
                .source(SCALE_CLASS, scale("public static double factor() { return 2.0; }"))
                .writeClasses(built);
        Path older = PluginJarBuilder.withoutDescriptor().source(SCALE_CLASS, scale(""))
                .writeClasses(Files.createTempDirectory("outdated-scale"));
        String scaleFile = SCALE_CLASS.replace('.', '/') + ".class";
        Files.copy(older.resolve(scaleFile), built.resolve(scaleFile), StandardCopyOption.REPLACE_EXISTING);
        Files.createDirectories(folder);
        return PluginJarBuilder.plugin(ID, "1.0.0").bundle(built).writeJar(folder.resolve(ID + "-1.0.0.jar"));
    }

    private static String scale(String members) {
        return "package com.example.outdated;\n\npublic final class Scale {\n    " + members + "\n}\n";
    }
}
