package io.spikeforge.runner.pipeline;

import io.spikeforge.api.HostInfo;
import io.spikeforge.engine.convert.ConversionErrorRow;
import io.spikeforge.engine.convert.ConversionEvaluation;
import io.spikeforge.engine.energy.EnergyReport;
import io.spikeforge.engine.train.EpochResult;
import io.spikeforge.engine.train.EvaluationResult;
import io.spikeforge.engine.train.StepResult;
import io.spikeforge.runner.config.TrackingConfig;
import io.spikeforge.tracking.RunIdsFile;
import io.spikeforge.tracking.RunStatus;
import io.spikeforge.tracking.RunTags;
import io.spikeforge.tracking.RunTracker;
import io.spikeforge.tracking.TrackedRun;
import io.spikeforge.tracking.TrackingOptions;
import io.spikeforge.tracking.TrackingOutcome;
import io.spikeforge.tracking.TrackingReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a pipeline run to MLflow through a {@link RunTracker}: the flattened resolved config as
 * params, context tags, per-step and per-epoch metrics keyed by model ({@code teacher.test_accuracy},
 * {@code student.step_loss}, ...; with each evaluation the operations and energy per image:
 * {@code <model>.energy_mj}, {@code .synops}, {@code .macs}), the run folder's files as artifacts
 * (with the final checkpoints under {@code checkpoints/}), and the end status. A resumed run is a new MLflow run with the tag
 * {@value RunTags#RESUMED_AT}, the id of the run it continues in {@value RunTags#RESUMED_FROM}
 * (the run folder's {@value RunIdsFile#FILE_NAME} lists them all, with their ids on the server)
 * and the same {@value RunTags#RUN_FOLDER}; it logs the epochs it trains, and its
 * {@code metrics.csv} artifact holds them all.
 *
 * <p>The run's end status is what happened, whatever else fails at the end: artifacts that cannot
 * be stored (a full disk) are left out, and {@link #report()} names them and the command that adds
 * them later ({@code spikeforge mlflow log-artifacts}).
 *
 * <p>Metric steps: per-step metrics use the global step ({@code epoch * stepsPerEpoch + step});
 * per-epoch metrics use the epoch counted from 1, and evaluations outside training (a loaded
 * teacher, a freshly initialized student) use epoch 0, as {@code metrics.csv} does. A converted
 * network's metrics ({@code convert}) use the time-steps T as their step, so that MLflow's chart of
 * a metric over its steps is the curve over T: {@code snn.test_accuracy}, {@code snn.millijoules},
 * {@code snn.accumulates}, {@code snn.multiply_accumulates} at each evaluated T, and at each
 * analysed T {@code snn.quantization_error} and {@code snn.deviation_error} (summed over the
 * spiking layers) and per layer {@code snn.quantization_error.<layer>},
 * {@code snn.deviation_error.<layer>}, {@code snn.current_variance.<layer>}; with step 0 the
 * (BN-folded) ANN's accuracy on the same images {@code snn.ann_accuracy}, the ANN's
 * {@code ann.millijoules} and {@code ann.multiply_accumulates}, and the firing rates
 * {@code snn.firing_rate.<layer>} over all steps.
 */
public final class TrackingRunListener implements RunListener {
    /** The run folder's files logged as artifacts, at the top of the run's artifacts. */
    private static final List<String> ARTIFACTS = List.of(RunFolder.CONFIG, RunFolder.METRICS, RunFolder.FIRING_RATES,
            RunFolder.LOSS_PLOT, RunFolder.ACCURACY_PLOT, RunFolder.INIT_REPORT, RunFolder.THRESHOLDS,
            RunFolder.ACCURACY_VS_TIMESTEPS, RunFolder.ACCURACY_VS_TIMESTEPS_PLOT, RunFolder.CONVERSION_ERRORS,
            RunFolder.CONVERSION_ERRORS_PLOT, RunFolder.CURRENT_VARIANCE_PLOT, RunFolder.ENERGY, RunFolder.STATUS);
    /**
     * The models of every kind, whose final weights ({@code <model>.safetensors}) and last
     * checkpoints (full training state, under {@code checkpoints/}) are logged when the run has them.
     */
    private static final List<String> MODELS = List.of(ExperimentPipeline.TEACHER, ExperimentPipeline.STUDENT,
            ExperimentPipeline.MODEL, ExperimentPipeline.ANN);
    private static final Logger LOG = LoggerFactory.getLogger(TrackingRunListener.class);

    private final RunTracker tracker;
    private final Optional<Path> experimentFile;
    private final HostInfo host;
    private Optional<String> parentRunId = Optional.empty();
    private final Map<String, String> extraTags = new LinkedHashMap<>();
    private final Map<String, String> extraParams = new LinkedHashMap<>();
    private TrackedRun run;
    private final Map<String, String> notStored = new LinkedHashMap<>();
    private Optional<String> statusNotStored = Optional.empty();
    private Path folder;

    /**
     * @param tracker where runs go (the local store, or a server with a spool)
     * @param experimentFile the experiment file, for the source and git tags
     * @param host facts about this process for the tags
     */
    public TrackingRunListener(RunTracker tracker, Optional<Path> experimentFile, HostInfo host) {
        this.tracker = Objects.requireNonNull(tracker, "tracker");
        this.experimentFile = Objects.requireNonNull(experimentFile, "experimentFile");
        this.host = Objects.requireNonNull(host, "host");
    }

    /**
     * Makes the run a child of {@code parent} (tag {@code mlflow.parentRunId}), such as a sweep's
     * arm under the sweep's run, with these tags and params besides the run's own; call before the
     * run starts.
     *
     * @param parent the parent's run id in the same store, if there is a parent
     */
    public TrackingRunListener childOf(Optional<String> parent, Map<String, String> tags, Map<String, String> params) {
        this.parentRunId = Objects.requireNonNull(parent, "parent");
        extraTags.putAll(tags);
        extraParams.putAll(params);
        return this;
    }

    /** Adds tags to the run: now if it started, else when it starts (such as the shared teacher an arm used). */
    public void addTags(Map<String, String> tags) {
        if (run != null) {
            run.setTags(tags);
        } else {
            extraTags.putAll(tags);
        }
    }

    /**
     * The files of a run folder that its MLflow run holds as artifacts, by their path among the
     * run's artifacts: those that exist.
     */
    public static Map<String, Path> artifactFiles(Path runFolder) {
        Map<String, Path> files = new LinkedHashMap<>();
        List<String> artifacts = new ArrayList<>(ARTIFACTS);
        MODELS.forEach(model -> artifacts.add(model + ".safetensors"));
        for (String name : artifacts) {
            Path file = runFolder.resolve(name);
            if (Files.isRegularFile(file)) {
                files.put(name, file);
            }
        }
        for (String model : MODELS) {
            String name = model + "-last.safetensors";
            Path file = runFolder.resolve(Checkpoints.DIR).resolve(name);
            if (Files.isRegularFile(file)) {
                files.put(Checkpoints.DIR + "/" + name, file);
            }
        }
        return files;
    }

    /**
     * The tracking options of an experiment's {@code tracking} section: its URI, else
     * {@code MLFLOW_TRACKING_URI} in {@code environment}, else {@code ./mlruns} under
     * {@code workingDirectory} ({@link TrackingOptions#resolve}).
     *
     * @throws IllegalArgumentException for a URI that is not a server or a folder; the message names where it came from
     */
    public static TrackingOptions options(TrackingConfig tracking, Map<String, String> environment,
                                          Path workingDirectory) {
        return TrackingOptions.resolve(tracking.enabled(), tracking.uri(), tracking.deliveryTimeout(), environment,
                workingDirectory);
    }

    @Override
    public void onRunStart(RunInfo info) {
        folder = info.folder();
        Map<String, String> tags = new LinkedHashMap<>(RunTags.context(experimentFile, host.spikeforgeVersion(),
                host.nd4jBackend()));
        tags.put(RunTags.RUN_FOLDER, folder.toAbsolutePath().toString());
        info.resumedAt().ifPresent(at -> tags.put(RunTags.RESUMED_AT, at));
        if (info.resumedAt().isPresent()) {
            previousRun().flatMap(tracker::referenceTo).ifPresent(id -> tags.put(RunTags.RESUMED_FROM, id));
        }
        tags.putAll(extraTags);
        run = tracker.startRun(info.experiment().tracking().experiment(), folder.getFileName().toString(),
                parentRunId, tags);
        Map<String, String> params = new LinkedHashMap<>(info.experiment().flatten());
        params.putAll(extraParams);
        run.logParams(params);
    }

    /** The MLflow run of the last process that ran this folder. */
    private Optional<RunIdsFile.Entry> previousRun() {
        try {
            List<RunIdsFile.Entry> runs = RunIdsFile.read(folder);
            return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(runs.size() - 1));
        } catch (IOException e) {
            LOG.warn("cannot read {}: {}", folder.resolve(RunIdsFile.FILE_NAME), e.toString());
            return Optional.empty();
        }
    }

    @Override
    public void onStep(StepResult step) {
        long global = (long) step.epoch() * step.stepsPerEpoch() + step.step();
        Map<String, Double> values = new LinkedHashMap<>();
        values.put(step.model() + ".step_loss", step.loss());
        step.lossTerms().forEach((term, value) -> values.put(step.model() + ".step_loss_" + term, value));
        values.put(step.model() + ".step_seconds", step.duration().toNanos() / 1e9);
        run.logMetrics(values, global);
    }

    @Override
    public void onEpoch(EpochResult epoch) {
        Map<String, Double> values = new LinkedHashMap<>();
        String m = epoch.model();
        values.put(m + ".lr", epoch.learningRate());
        values.put(m + ".train_loss", epoch.trainLoss());
        values.put(m + ".train_accuracy", epoch.trainAccuracy());
        // as in metrics.csv: the whole epoch, evaluation included; the training steps alone have their own name
        values.put(m + ".epoch_seconds", epoch.totalTime().toNanos() / 1e9);
        values.put(m + ".train_seconds", epoch.trainingTime().toNanos() / 1e9);
        putEvaluation(values, m, epoch.evaluation());
        run.logMetrics(values, epoch.epoch() + 1L);
        run.flush();
    }

    @Override
    public void onEvaluation(String model, EvaluationResult evaluation) {
        Map<String, Double> values = new LinkedHashMap<>();
        putEvaluation(values, model, evaluation);
        run.logMetrics(values, 0);
    }

    private static void putEvaluation(Map<String, Double> values, String model, EvaluationResult evaluation) {
        values.put(model + ".test_accuracy", evaluation.accuracy());
        values.put(model + ".test_loss", evaluation.loss());
        if (!evaluation.firingRates().isEmpty()) {
            values.put(model + ".firing_rate.mean", evaluation.meanFiringRate());
            evaluation.firingRates().forEach((layer, rate) -> values.put(model + ".firing_rate." + layer, rate));
        }
        evaluation.energy().ifPresent(energy -> {
            values.put(model + ".energy_mj", energy.millijoules());
            values.put(model + ".synops", energy.accumulates());
            values.put(model + ".macs", energy.multiplyAccumulates());
        });
    }

    @Override
    public void onConversion(String model, ConversionResult result) {
        ConversionEvaluation evaluation = result.evaluation();
        Map<String, Double> once = new LinkedHashMap<>();
        once.put(model + ".ann_accuracy", evaluation.annAccuracy());
        once.put(ExperimentPipeline.ANN + ".millijoules", evaluation.annEnergy().millijoules());
        once.put(ExperimentPipeline.ANN + ".multiply_accumulates", evaluation.annEnergy().multiplyAccumulates());
        evaluation.firingRates().forEach((layer, rate) -> once.put(model + ".firing_rate." + layer, rate));
        run.logMetrics(once, 0);
        evaluation.accuracy().forEach((timeSteps, accuracy) -> {
            Map<String, Double> values = new LinkedHashMap<>();
            values.put(model + ".test_accuracy", accuracy);
            EnergyReport energy = evaluation.energy().get(timeSteps);
            if (energy != null) {
                values.put(model + ".millijoules", energy.millijoules());
                values.put(model + ".accumulates", energy.accumulates());
                values.put(model + ".multiply_accumulates", energy.multiplyAccumulates());
            }
            run.logMetrics(values, timeSteps);
        });
        Map<Integer, Map<String, Double>> analysed = new java.util.TreeMap<>();
        for (ConversionErrorRow row : result.errors()) {
            Map<String, Double> values = analysed.computeIfAbsent(row.timeSteps(), t -> new LinkedHashMap<>());
            values.merge(model + ".quantization_error", row.quantizationError(), Double::sum);
            values.merge(model + ".deviation_error", row.deviationError(), Double::sum);
            values.put(model + ".quantization_error." + row.layer(), row.quantizationError());
            values.put(model + ".deviation_error." + row.layer(), row.deviationError());
            values.put(model + ".current_variance." + row.layer(), row.inputVariance());
        }
        analysed.forEach((timeSteps, values) -> run.logMetrics(values, timeSteps));
        run.flush();
    }

    @Override
    public void onRunEnd(RunResult result) {
        if (run == null) {
            return;
        }
        try {
            for (Map.Entry<String, Path> artifact : artifactFiles(result.folder()).entrySet()) {
                String path = artifact.getKey();
                try {
                    run.logArtifact(artifact.getValue(), path.contains("/") ? path.substring(0, path.lastIndexOf('/'))
                            : "");
                } catch (UncheckedIOException e) {
                    notStored.put(path, cause(e));
                }
            }
        } finally {
            // a run ends, so one still RUNNING ended in a way it did not say
            RunStatus status = result.status() == RunStatus.RUNNING ? RunStatus.FAILED : result.status();
            Optional<Throwable> error = result.failure().<Throwable>map(e -> e)
                    .or(() -> result.error().map(IllegalStateException::new));
            try {
                run.end(status, error);
            } catch (UncheckedIOException e) {
                statusNotStored = Optional.of("the end status " + status.mlflowName() + " of MLflow run " + run.runId()
                        + " could not be written to " + tracker.destination() + " (" + cause(e) + "): it shows the run "
                        + "as running");
            }
        }
    }

    /**
     * What of the run could not be stored at its end: {@link TrackingOutcome#STORE_INCOMPLETE} with
     * the artifacts missing from the MLflow run, why, and the command that adds them from the run
     * folder; {@link TrackingReport#DELIVERED} when nothing is missing.
     */
    public TrackingReport report() {
        List<String> problems = new ArrayList<>();
        if (!notStored.isEmpty()) {
            problems.add("MLflow run " + run.runId() + " lacks " + notStored.size() + " artifact(s) that could not be "
                    + "stored in " + tracker.destination() + ": " + notStored.entrySet().stream()
                            .map(e -> e.getKey() + " (" + e.getValue() + ")").collect(Collectors.joining(", "))
                    + ". The run folder keeps them; once there is room, add them to the MLflow run with: "
                    + "spikeforge mlflow log-artifacts " + folder);
        }
        statusNotStored.ifPresent(problems::add);
        return problems.isEmpty() ? TrackingReport.DELIVERED
                : new TrackingReport(TrackingOutcome.STORE_INCOMPLETE, problems);
    }

    /** The innermost message of a storage failure, such as "No space left on device". */
    private static String cause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        String text = cause instanceof java.nio.file.FileSystemException fs && fs.getReason() != null
                ? fs.getReason() : cause.getMessage();
        return text == null ? cause.getClass().getSimpleName() : text;
    }
}
