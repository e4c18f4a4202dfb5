package io.spikeforge.cli;

import io.spikeforge.engine.convert.ConversionEvaluation;
import io.spikeforge.engine.energy.EnergyReport;
import io.spikeforge.engine.train.EvaluationResult;
import io.spikeforge.runner.config.ConfigError;
import io.spikeforge.runner.config.ConfigException;
import io.spikeforge.runner.config.ConfigLocation;
import io.spikeforge.runner.config.Experiment;
import io.spikeforge.runner.pipeline.ConversionResult;
import io.spikeforge.runner.pipeline.ExperimentPipeline;
import io.spikeforge.runner.pipeline.ExperimentTooLargeException;
import io.spikeforge.runner.pipeline.RunFolder;
import io.spikeforge.runner.pipeline.RunListener;
import io.spikeforge.runner.pipeline.RunResult;
import io.spikeforge.runner.pipeline.RunSetupException;
import io.spikeforge.runner.pipeline.TrackingRunListener;
import io.spikeforge.runner.plugin.PluginHost;
import io.spikeforge.tracking.RunTracker;
import io.spikeforge.tracking.RunTrackers;
import io.spikeforge.tracking.TrackingOptions;
import io.spikeforge.tracking.TrackingReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
    /** How long Ctrl-C waits for the run to finish its step and write its files before the JVM exits anyway. */
    private static final long STOP_GRACE_MINUTES = 10;
    /** The resolved experiment in a run folder. */

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
            Experiment loaded = experiment.get();
            RunProgress progress = new RunProgress(err);
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch finished = new CountDownLatch(1);
            Thread onCtrlC = new Thread(() -> stopAndWait(stop, finished, err), "spikeforge-stop");
            Runtime.getRuntime().addShutdownHook(onCtrlC);
            try (RunTracker tracker = openTracker(loaded)) {
                TrackingRunListener tracking = new TrackingRunListener(tracker, Optional.of(experimentSource()),
                        host.hostInfo());
                Map<String, ConversionResult> conversions = new LinkedHashMap<>();
                ExperimentPipeline.Builder pipeline = ExperimentPipeline.builder(loaded).components(host.components())
                        .listener(progress).listener(tracking).listener(new RunListener() {
                            @Override
                            public void onConversion(String model, ConversionResult conversion) {
                                conversions.put(model, conversion);
                            }
                        }).generationProgress(progress).stopWhen(stop::get);
                if (resume != null) {
                    pipeline.resume(resume);
                }
                RunResult result = pipeline.build().run();
                int code = report(result, conversions, out, err);
                TrackingReport delivery = tracking.report().and(tracker.finish());
                delivery.problems().forEach(problem -> err.println("MLflow: " + problem));
                err.flush();
                // a run that finished says with its exit code where its MLflow records stand
                return code == ExitCodes.OK ? ExitCodes.of(delivery.outcome()) : code;
            } catch (ExperimentTooLargeException e) {
                root.printError(err, experimentSource() + ": " + e.getMessage(), e);
                return ExitCodes.INVALID_EXPERIMENT;
            } catch (RunSetupException e) {
                root.printError(err, e.getMessage(), e);
                return ExitCodes.RUN_FAILED;
            } finally {
                finished.countDown();
                removeHook(onCtrlC);
            }
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

    /**
     * MLflow tracking as the experiment's {@code tracking} section and MLFLOW_TRACKING_URI say.
     *
     * @throws ConfigException if they name a destination Spikeforge cannot track to: an invalid
     *     experiment, wherever the value came from
     */
    private RunTracker openTracker(Experiment experiment) throws ConfigException {
        if (!experiment.tracking().enabled()) {
            return RunTrackers.disabled();
        }
        TrackingOptions options;
        try {
            options = TrackingRunListener.options(experiment.tracking(), System.getenv(),
                    Path.of("").toAbsolutePath());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(List.of(new ConfigError(ConfigLocation.InFile.wholeFile(experimentSource()),
                    "tracking.uri", e.getMessage())));
        }
        return RunTrackers.open(options);
    }

    /** The file the experiment came from: the one given, else the resumed run's {@code config.yaml}. */
    private Path experimentSource() {
        return file != null ? file : resume.resolve(RunFolder.CONFIG);
    }

    /**
     * Runs in the shutdown hook: asks the pipeline to stop after its current step and keeps the JVM
     * alive until it has written its files (the JVM exits when the hooks return).
     */
    private static void stopAndWait(AtomicBoolean stop, CountDownLatch finished, PrintWriter err) {
        stop.set(true);
        err.println();
        err.println("stopping after the current step; the run folder keeps what was written");
        err.flush();
        try {
            finished.await(STOP_GRACE_MINUTES, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running (Ctrl-C): it returns once the run is done
        }
    }

    private int report(RunResult result, Map<String, ConversionResult> conversions, PrintWriter out,
                       PrintWriter err) {
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

    private static String operations(double count) {
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
