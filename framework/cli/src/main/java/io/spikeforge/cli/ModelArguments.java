package io.spikeforge.cli;

import io.spikeforge.runner.config.ConfigException;
import io.spikeforge.runner.config.Experiment;
import io.spikeforge.runner.pipeline.ModelEvaluation;
import io.spikeforge.runner.pipeline.RunSetupException;
import io.spikeforge.runner.plugin.PluginHost;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What {@code eval} and {@code summary} read a model and its data from: an experiment file with
 * overrides, or overrides alone, which describe the model and the data on a {@code train}
 * experiment of their own ({@link #BASE}); and which of the experiment's model sections
 * ({@code --model}).
 */
final class ModelArguments {
    /**
     * The experiment overrides alone complete: a ResNet-18 unless {@code model.*} say otherwise, the
     * quickstart's synthetic set unless {@code dataset.*} do.
     */
    static final String BASE = "kind: train\nexperiment: {name: model}\ndataset: {name: synthetic, path: data/synthetic-10}\n"
            + "model: {architecture: resnet, depth: 18}\n";

    @Parameters(paramLabel = "[EXPERIMENT.yaml] KEY=VALUE",
            description = "The experiment file whose model section describes the model, then overrides ("
                    + ExperimentArguments.OVERRIDES_DESCRIPTION + "). Without a file, the overrides alone describe the"
                    + " model and its data: model.architecture=spiking-resnet model.depth=8 model.widths=[8,16,32]"
                    + " dataset.name=fashion-mnist (by default a resnet18 and the quickstart's data/synthetic-10).")
    List<String> arguments = new ArrayList<>();

    @Option(names = "--model", paramLabel = "NAME",
            description = "Which model section describes the model: student or teacher for a distill experiment "
                    + "(default student), model for the other kinds.")
    String model;

    /** The experiment file, if the first argument is one (not a KEY=VALUE or ~KEY override). */
    private boolean hasFile() {
        return !arguments.isEmpty() && !arguments.get(0).contains("=") && !arguments.get(0).startsWith("~");
    }

    /** Loads the experiment, printing warnings to {@code err}. */
    Experiment load(PluginHost host, PrintWriter err) throws ConfigException {
        if (hasFile()) {
            return ExperimentArguments.load(host, Path.of(arguments.get(0)), arguments.subList(1, arguments.size()), err);
        }
        Path base = null;
        try {
            base = Files.createTempFile("spikeforge-model-", ".yaml");
            Files.writeString(base, BASE, StandardCharsets.UTF_8);
            return ExperimentArguments.load(host, base, arguments, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a temporary file", e);
        } finally {
            if (base != null) {
                try {
                    Files.deleteIfExists(base);
                } catch (IOException ignored) {
                    // a temporary file of ours; the system's cleaning removes it
                }
            }
        }
    }

    /**
     * The model section {@code --model} names, or the experiment's default one.
     *
     * @throws RunSetupException naming the sections the experiment has when it has none of that name
     */
    ModelEvaluation.Section section(Experiment loaded) throws RunSetupException {
        return ModelEvaluation.section(loaded, Optional.ofNullable(model));
    }
}
