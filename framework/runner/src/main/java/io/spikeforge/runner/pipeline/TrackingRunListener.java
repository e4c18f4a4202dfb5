package io.spikeforge.runner.pipeline;

import io.spikeforge.api.HostInfo;
import io.spikeforge.engine.train.EpochResult;
import io.spikeforge.engine.train.EvaluationResult;
import io.spikeforge.engine.train.StepResult;
import io.spikeforge.runner.tracking.RunTags;
import io.spikeforge.runner.tracking.RunTracker;
import io.spikeforge.runner.tracking.TrackedRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a pipeline run to MLflow through a {@link RunTracker}: the flattened resolved config as
 * params, context tags, per-step and per-epoch metrics keyed by model ({@code teacher.test_accuracy},
 * {@code student.step_loss}, ...), the run folder's files as artifacts (with the final checkpoints
 * under {@code checkpoints/}), and the end status. A resumed run is a new MLflow run with the tag
 * {@code spikeforge.resumed_at}, the id of the run it continues in {@code spikeforge.resumed_from}
 * (the run folder's {@value #RUN_IDS} file lists them) and the same {@code spikeforge.run_folder};
 * it logs the epochs it trains, and its {@code metrics.csv} artifact holds them all.
 *
 * <p>Metric steps: per-step metrics use the global step ({@code epoch * stepsPerEpoch + step});
 * per-epoch metrics use the epoch counted from 1, and evaluations outside training (a loaded
 * teacher, a freshly initialized student) use epoch 0, as {@code metrics.csv} does.
 */
public final class TrackingRunListener implements RunListener {
    private static final List<String> ARTIFACTS = List.of("config.yaml", "metrics.csv", "firing_rates.csv", "loss.png", "accuracy.png",
            "init-report.txt", "status", "teacher.safetensors", "student.safetensors");
    /** The final checkpoints (full training state), logged under {@code checkpoints/}. */
    /** File of the run folder listing the MLflow run id of each process that ran it, one per line. */
    static final String RUN_IDS = "mlflow_run_ids";
    private static final Logger LOG = LoggerFactory.getLogger(TrackingRunListener.class);
    private static final List<String> CHECKPOINTS = List.of("teacher-last.safetensors", "student-last.safetensors");

    private final RunTracker tracker;
    private final Optional<Path> experimentFile;
    private final HostInfo host;
    private TrackedRun run;

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

    @Override
    public void onRunStart(RunInfo info) {
        run = tracker.startRun(info.experiment().tracking().experiment(), info.folder().getFileName().toString(),
                Optional.empty());
        Map<String, String> tags = new LinkedHashMap<>(RunTags.context(experimentFile, host));
        tags.put("spikeforge.run_folder", info.folder().toAbsolutePath().toString());
        info.resumedAt().ifPresent(at -> tags.put("spikeforge.resumed_at", at));
        Path ids = info.folder().resolve(RUN_IDS);
        if (info.resumedAt().isPresent()) {
            previousRunId(ids).ifPresent(id -> tags.put("spikeforge.resumed_from", id));
        }
        run.setTags(tags);
        run.logParams(info.experiment().flatten());
        try {
            Files.writeString(ids, run.runId() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.warn("cannot record the MLflow run id in {}: {}", ids, e.toString());
        }
    }

    /** The MLflow run of the last process that ran this folder, from {@value #RUN_IDS}. */
    private static Optional<String> previousRunId(Path ids) {
        try {
            List<String> lines = Files.exists(ids) ? Files.readAllLines(ids, StandardCharsets.UTF_8) : List.of();
            return lines.stream().map(String::trim).filter(line -> !line.isEmpty()).reduce((a, b) -> b);
        } catch (IOException e) {
            LOG.warn("cannot read {}: {}", ids, e.toString());
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
    }

    @Override
    public void onRunEnd(RunResult result) {
        if (run == null) {
            return;
        }
        for (String name : ARTIFACTS) {
            Path file = result.folder().resolve(name);
            if (Files.isRegularFile(file)) {
                run.logArtifact(file, "");
            }
        }
        for (String name : CHECKPOINTS) {
            Path file = result.folder().resolve(Checkpoints.DIR).resolve(name);
            if (Files.isRegularFile(file)) {
                run.logArtifact(file, Checkpoints.DIR);
            }
        }
        io.spikeforge.runner.tracking.RunStatus status = switch (result.status()) {
            case FINISHED -> io.spikeforge.runner.tracking.RunStatus.FINISHED;
            case INTERRUPTED -> io.spikeforge.runner.tracking.RunStatus.KILLED;
            case FAILED, RUNNING -> io.spikeforge.runner.tracking.RunStatus.FAILED;
        };
        Optional<Throwable> error = result.failure().<Throwable>map(e -> e)
                .or(() -> result.error().map(IllegalStateException::new));
        run.end(status, error);
    }
}
