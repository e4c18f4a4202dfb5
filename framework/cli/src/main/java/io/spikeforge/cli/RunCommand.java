package io.spikeforge.cli;

import io.spikeforge.engine.convert.ConversionEvaluation;
import io.spikeforge.engine.energy.EnergyReport;
import io.spikeforge.engine.train.EvaluationResult;
import io.spikeforge.runner.config.ConfigException;
import io.spikeforge.runner.config.Experiment;
import io.spikeforge.runner.pipeline.ConversionResult;
import io.spikeforge.runner.pipeline.ExperimentPipeline;
import io.spikeforge.runner.pipeline.RunFolder;
import io.spikeforge.runner.pipeline.RunResult;
import io.spikeforge.runner.plugin.PluginHost;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * {@code spikeforge run}: the main job. Runs an experiment end to end through
 * {@link ExperimentPipeline}, with progress on standard error and the results on standard output.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run an experiment of its kind: for `distill`, train (or load) the ANN teacher, initialize the "
                + "spiking student from it, train the student with distillation; for `train`, train one model; "
                + "evaluate each model after every epoch; for `convert`, train (or load) an ANN, convert it into a "
                + "spiking network and evaluate that at each of its time-steps.",
            "Writes a run folder under outputs.dir (config.yaml, status, metrics.csv, firing_rates.csv, energy.csv, "
                    + "loss.png, accuracy.png, init-report.txt, <model>.safetensors, checkpoints/; a conversion's "
                    + "tables and plots) and prints each model's test accuracies, its energy per image and "
                    + "operations, and the folder. Ctrl-C stops after the current step and keeps what was written; "
                    + "--resume RUN_DIR continues a stopped or killed run from its last checkpoints."})
final class RunCommand implements Callable<Integer> {

    @CommandLine.ParentCommand
    SpikeforgeCli root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(index = "0", arity = "0..1", paramLabel = "EXPERIMENT.yaml",
            description = "The experiment file; with --resume it may be left out (the run's config.yaml is used),"
                    + " and when given it must resolve to that config.")
    Path file;

    @CommandLine.Parameters(index = "1..*", paramLabel = "KEY=VALUE",
            description = ExperimentArguments.OVERRIDES_DESCRIPTION)
    List<String> overrides = new ArrayList<>();

    @CommandLine.Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "Continue the run in this folder from its last checkpoints (a run stopped with Ctrl-C or "
                    + "killed); it ends with the numbers of an uninterrupted run.")
    Path resume;

    @Override
    public Integer call() throws ConfigException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (file == null && resume == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Missing required parameter: 'EXPERIMENT.yaml' (or --resume RUN_DIR)");
        }
        Optional<String> notARunFolder = resume == null ? Optional.empty() : RunFolder.whyNotARunFolder(resume);
        if (notARunFolder.isPresent()) {
            err.println("error: cannot resume " + resume + ": " + notARunFolder.get());
            err.flush();
            return ExitCodes.RUN_FAILED;
        }
        try (PluginHost host = PluginHostSupport.start(root, err)) {
            Optional<Experiment> experiment = load(host, err);
            if (experiment.isEmpty()) {
                return ExitCodes.INVALID_EXPERIMENT;
            }
            ExperimentRun run = new ExperimentRun(root, host, experiment.get(), experimentSource());
            if (resume != null) {
                run.resume(resume);
            }
            return run.run(out, err);
        }
    }

    /**
     * The experiment: the file with its overrides; with --resume and no file, the run's
     * {@code config.yaml} (which exists: {@link #call} checked); with both, the file's, which must
     * resolve to the run's (else the differences are printed and nothing is returned).
     */
    private Optional<Experiment> load(PluginHost host, PrintWriter err) throws ConfigException {
        if (resume == null) {
            return Optional.of(ExperimentArguments.load(host, file, overrides, err));
        }
        Path config = resume.resolve(RunFolder.CONFIG);
        Experiment recorded = ExperimentArguments.loadRecorded(host, config, err);
        if (file == null) {
            if (!overrides.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "overrides need the experiment file;"
                        + " a resumed run keeps the configuration in " + config);
            }
            return Optional.of(recorded);
        }
        Experiment given = ExperimentArguments.load(host, file, overrides, err);
        Map<String, String> want = recorded.flatten();
        Map<String, String> got = given.flatten();
        Set<String> keys = new TreeSet<>(want.keySet());
        keys.addAll(got.keySet());
        List<String> differences = keys.stream().filter(key -> !Objects.equals(want.get(key), got.get(key)))
                .map(key -> "  " + key + ": the run has " + want.get(key) + ", " + file + " gives " + got.get(key))
                .toList();
        if (differences.isEmpty()) {
            return Optional.of(recorded);
        }
        err.println("error: --resume " + resume + ": " + file + " (with the overrides) differs from the run's "
                + RunFolder.CONFIG + " in " + differences.size() + " key(s):");
        differences.forEach(err::println);
        err.println("resume with the same experiment and overrides, or leave them out");
        err.flush();
        return Optional.empty();
    }

    /** The file the experiment came from: the one given, else the resumed run's {@code config.yaml}. */
    private Path experimentSource() {
        return file != null ? file : resume.resolve(RunFolder.CONFIG);
    }

    /** Prints how the run ended, each model's accuracy and energy and the folder; the exit code of its status. */
    static int report(SpikeforgeCli root, RunResult result, Map<String, ConversionResult> conversions,
                      PrintWriter out, PrintWriter err) {
        result.error().ifPresent(error -> root.printError(err, "the run failed: " + error,
                result.failure().orElse(null)));
        out.println("status   " + result.status().word());
        for (String model : result.models()) {
            ConversionResult conversion = conversions.get(model);
            out.println(String.format(Locale.ROOT, "%-9s", model) + accuracy(result.evaluation(model))
                    + (conversion == null ? "" : " at T=" + conversion.maxTimeSteps()));
            if (conversion != null) {
                conversion(conversion, out);
            } else {
                result.energy(model).ifPresent(energy -> out.println(" ".repeat(9) + energy(energy)));
            }
        }
        out.println("run      " + result.folder());
        out.flush();
        return switch (result.status()) {
            case FINISHED -> ExitCodes.OK;
            case INTERRUPTED -> ExitCodes.INTERRUPTED;
            case FAILED, RUNNING -> ExitCodes.RUN_FAILED;
        };
    }

    /** Such as {@code energy 0.01234 mJ per image: 1.25 M synaptic ops, 0.18 M MACs}. */
    static String energy(EnergyReport energy) {
        return String.format(Locale.ROOT, "energy %.4g mJ per image: %s synaptic ops, %s MACs", energy.millijoules(),
                operations(energy.accumulates()), operations(energy.multiplyAccumulates()));
    }

    static String operations(double count) {
        if (count >= 1e9) {
            return String.format(Locale.ROOT, "%.2f G", count / 1e9);
        }
        if (count >= 1e6) {
            return String.format(Locale.ROOT, "%.2f M", count / 1e6);
        }
        return count >= 1e3 ? String.format(Locale.ROOT, "%.2f k", count / 1e3)
                : String.format(Locale.ROOT, "%.0f", count);
    }

    /**
     * A converted network's accuracy at each T, the ANN's on the same images, and the energy per
     * image of both.
     */
    private static void conversion(ConversionResult conversion, PrintWriter out) {
        ConversionEvaluation evaluation = conversion.evaluation();
        StringBuilder line = new StringBuilder("  by T ");
        evaluation.accuracy().forEach((timeSteps, accuracy) -> line.append(String.format(Locale.ROOT, "  %d: %.2f%%",
                timeSteps, 100 * accuracy)));
        out.println(line);
        out.println(String.format(Locale.ROOT, "  ANN    %.2f%% on the same %d test images (BatchNorm folded)",
                100 * evaluation.annAccuracy(), evaluation.images()));
        EnergyReport snn = evaluation.energy().get(conversion.maxTimeSteps());
        out.println(String.format(Locale.ROOT, "energy   ann %.4g mJ per image (%.4g MACs)%s", evaluation.annEnergy()
                .millijoules(), evaluation.annEnergy().multiplyAccumulates(), snn == null ? ""
                : String.format(Locale.ROOT, "; snn %.4g mJ per image at T=%d (%.4g ACs, %.4g MACs)",
                        snn.millijoules(), conversion.maxTimeSteps(), snn.accumulates(), snn.multiplyAccumulates())));
    }

    private static String accuracy(Optional<EvaluationResult> evaluation) {
        return evaluation.map(e -> String.format(Locale.ROOT, "test accuracy %.2f%%", 100 * e.accuracy()))
                .orElse("not evaluated");
    }
}
