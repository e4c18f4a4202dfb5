package io.spikeforge.cli;

import io.spikeforge.common.AtomicFiles;
import io.spikeforge.common.IoErrors;
import io.spikeforge.engine.data.GenerationProgress;
import io.spikeforge.engine.energy.EnergyReport;
import io.spikeforge.engine.energy.LayerOperations;
import io.spikeforge.engine.train.ClassAccuracy;
import io.spikeforge.engine.train.EvaluationResult;
import io.spikeforge.runner.config.ConfigException;
import io.spikeforge.runner.config.Experiment;
import io.spikeforge.runner.pipeline.ModelEvaluation;
import io.spikeforge.runner.pipeline.RunSetupException;
import io.spikeforge.runner.plugin.PluginHost;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spikeforge eval}: a weights file evaluated on an experiment's test set with the model one
 * of its model sections describes, through {@link ModelEvaluation}.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate a weights file on the test set of an experiment's data set: accuracy, loss, accuracy "
                + "per class, firing rate per spiking layer, synaptic operations, MACs and energy per image.",
            "The weights: a .safetensors file under PyTorch's state-dict names (written by PyTorch, or a model "
                    + "file of a Spikeforge run) or a Spikeforge checkpoint. The model: one of the experiment's model "
                    + "sections (--model), changed with overrides like any experiment key (model.depth=20). Nothing is "
                    + "trained and no run folder is written; --output writes the results as JSON or CSV."})
final class EvalCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    SpikeforgeCli root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ModelArguments arguments;

    @Option(names = "--weights", required = true, paramLabel = "FILE",
            description = "The weights: .safetensors (PyTorch state-dict names) or a Spikeforge checkpoint.")
    Path weights;

    @Option(names = "--batch-size", paramLabel = "N",
            description = "Images per batch. Default: the batch size of the section's training.")
    Integer batchSize;

    @Option(names = "--output", paramLabel = "FILE.json|FILE.csv",
            description = "Also write the results to this new file: JSON, or CSV (one row per measure), by its "
                    + "extension. An existing file is never replaced.")
    Path output;

    @Override
    public Integer call() throws ConfigException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (batchSize != null && batchSize < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--batch-size must be at least 1, got "
                    + batchSize);
        }
        Optional<ResultFormat> format = output == null ? Optional.empty() : Optional.of(ResultFormat.of(output)
                .orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(), "--output " + output
                        + ": the file name must end in .json or .csv")));
        if (output != null && Files.exists(output)) {
            root.printError(err, "--output " + output + ": the file exists; give a new file", null);
            return ExitCodes.USAGE;
        }
        try (PluginHost host = PluginHostSupport.start(root, err)) {
            Experiment loaded = arguments.load(host, err);
            ModelEvaluation.Section section = arguments.section(loaded);
            Optional<ModelEvaluation.Evaluated> evaluated = ModelEvaluation.evaluate(loaded, section, weights,
                    host.components(), batchSize == null ? OptionalInt.empty() : OptionalInt.of(batchSize),
                    GenerationProgress.NONE, () -> Thread.currentThread().isInterrupted());
            if (evaluated.isEmpty()) {
                return ExitCodes.INTERRUPTED;
            }
            print(evaluated.get(), loaded, out);
            if (format.isPresent()) {
                String text = format.get() == ResultFormat.JSON ? EvaluationFiles.json(evaluated.get())
                        : EvaluationFiles.csv(evaluated.get());
                AtomicFiles.write(output, text.getBytes(StandardCharsets.UTF_8));
                out.println("wrote    " + output);
            }
            out.flush();
            return ExitCodes.OK;
        } catch (RunSetupException e) {
            root.printError(err, e.getMessage(), e);
            return ExitCodes.RUN_FAILED;
        } catch (IOException e) {
            root.printError(err, "--output " + output + ": cannot write: " + IoErrors.message(e), e);
            return ExitCodes.RUN_FAILED;
        }
    }

    private enum ResultFormat {
        JSON, CSV;

        static Optional<ResultFormat> of(Path file) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            return name.endsWith(".json") ? Optional.of(JSON) : name.endsWith(".csv") ? Optional.of(CSV)
                    : Optional.empty();
        }
    }

    /** The readable table: summary lines, then per class, per spiking layer and per layer with weights. */
    static void print(ModelEvaluation.Evaluated evaluated, Experiment experiment, PrintWriter out) {
        EvaluationResult result = evaluated.result();
        out.println("model    " + evaluated.section().name() + ": " + evaluated.model().architecture()
                + (evaluated.model().spiking() ? ", T=" + evaluated.model().timeSteps() : "")
                + " (" + evaluated.section().key() + ")");
        out.println("weights  " + evaluated.weights());
        out.println("data     " + result.images() + " test images of " + experiment.dataset().name().id()
                + " (" + experiment.dataset().path() + ")");
        long correct = result.perClass().map(ClassAccuracy::totalCorrect).orElse(Math.round(result.accuracy()
                * result.images()));
        out.println(String.format(Locale.ROOT, "accuracy %.2f%% (%d of %d)", 100 * result.accuracy(), correct,
                result.images()));
        out.println(String.format(Locale.ROOT, "loss     %.6f", result.loss()));
        result.energy().ifPresent(energy -> out.println("         " + RunCommand.energy(energy)));
        result.perClass().ifPresent(perClass -> {
            out.println();
            out.println(String.format(Locale.ROOT, "%-6s %7s %8s %9s", "class", "images", "correct", "accuracy"));
            for (int c = 0; c < perClass.classes(); c++) {
                out.println(String.format(Locale.ROOT, "%-6d %7d %8d %8.2f%%", c, perClass.images(c),
                        perClass.correct(c), 100 * perClass.accuracy(c)));
            }
        });
        if (!result.firingRates().isEmpty()) {
            out.println();
            int width = Math.max(13, result.firingRates().keySet().stream().mapToInt(String::length).max().orElse(0));
            out.println(String.format(Locale.ROOT, "%-" + width + "s %11s", "spiking layer", "firing rate"));
            result.firingRates().forEach((layer, rate) -> out.println(String.format(Locale.ROOT, "%-" + width
                    + "s %11.4f", layer, rate)));
            out.println(String.format(Locale.ROOT, "%-" + width + "s %11.4f", "mean", result.meanFiringRate()));
        }
        result.energy().ifPresent(energy -> layers(energy, out));
    }

    private static void layers(EnergyReport energy, PrintWriter out) {
        out.println();
        int width = Math.max(5, energy.layers().stream().mapToInt(l -> l.layer().length()).max().orElse(0));
        out.println(String.format(Locale.ROOT, "%-" + width + "s %13s %10s %10s", "layer", "synaptic ops", "MACs",
                "energy nJ"));
        for (LayerOperations layer : energy.layers()) {
            out.println(String.format(Locale.ROOT, "%-" + width + "s %13s %10s %10.4g", layer.layer(),
                    RunCommand.operations(layer.accumulates()), RunCommand.operations(layer.multiplyAccumulates()),
                    layer.picojoules() / 1000));
        }
    }
}
