package io.spikeforge.cli;

import io.spikeforge.runner.config.ConfigError;
import io.spikeforge.runner.config.ConfigException;
import io.spikeforge.runner.config.ConfigLocation;
import io.spikeforge.runner.config.Experiment;
import io.spikeforge.runner.pipeline.ConversionResult;
import io.spikeforge.runner.pipeline.ExperimentPipeline;
import io.spikeforge.runner.pipeline.ExperimentTooLargeException;
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
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One experiment run in this process, as {@code spikeforge run} and a sweep's arm
 * ({@code spikeforge sweep arm}) run it: progress on standard error, MLflow tracking, Ctrl-C stopping
 * after the current step, the results on standard output and the exit code.
 */
final class ExperimentRun {
    /** How long Ctrl-C waits for the run to finish its step and write its files before the JVM exits anyway. */
    private static final long STOP_GRACE_MINUTES = 10;

    private final SpikeforgeCli root;
    private final PluginHost host;
    private final Experiment experiment;
    private final Path experimentSource;
    private Optional<Path> resume = Optional.empty();
    private Optional<Path> runFolder = Optional.empty();
    private Optional<String> parentRunId = Optional.empty();
    private final Map<String, String> tags = new LinkedHashMap<>();
    private final Map<String, String> params = new LinkedHashMap<>();
    private final List<RunListener> listeners = new ArrayList<>();
    private Consumer<TrackingRunListener> onTracking = tracking -> { };

    /**
     * @param experimentSource the file the experiment came from (the source tag of its MLflow run and
     *     where problems with its tracking section are reported)
     */
    ExperimentRun(SpikeforgeCli root, PluginHost host, Experiment experiment, Path experimentSource) {
        this.root = Objects.requireNonNull(root, "root");
        this.host = Objects.requireNonNull(host, "host");
        this.experiment = Objects.requireNonNull(experiment, "experiment");
        this.experimentSource = Objects.requireNonNull(experimentSource, "experimentSource");
    }

    /** Continues the run in this folder from its checkpoints. */
    ExperimentRun resume(Path folder) {
        this.resume = Optional.of(folder);
        return this;
    }

    /** Starts the run in this folder (which must not exist) instead of a new one under outputs.dir. */
    ExperimentRun runFolder(Path folder) {
        this.runFolder = Optional.of(folder);
        return this;
    }

    /** Tracks the run as a child of an MLflow run, with these tags and params besides its own. */
    ExperimentRun childOf(Optional<String> parent, Map<String, String> childTags, Map<String, String> childParams) {
        this.parentRunId = parent;
        tags.putAll(childTags);
        params.putAll(childParams);
        return this;
    }

    /** Adds a listener after the progress, tracking and result listeners. */
    ExperimentRun listener(RunListener listener) {
        listeners.add(listener);
        return this;
    }

    /** Told the run's tracking listener before the run starts (to add tags as the run goes). */
    ExperimentRun onTracking(Consumer<TrackingRunListener> consumer) {
        this.onTracking = consumer;
        return this;
    }

    /** Runs it; the exit code as {@code spikeforge run} documents it. */
    int run(PrintWriter out, PrintWriter err) throws ConfigException {
        RunProgress progress = new RunProgress(err);
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread onCtrlC = new Thread(() -> stopAndWait(stop, finished, err), "spikeforge-stop");
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        try (RunTracker tracker = openTracker(experiment, experimentSource)) {
            TrackingRunListener tracking = new TrackingRunListener(tracker, Optional.of(experimentSource),
                    host.hostInfo()).childOf(parentRunId, tags, params);
            onTracking.accept(tracking);
            Map<String, ConversionResult> conversions = new LinkedHashMap<>();
            ExperimentPipeline.Builder pipeline = ExperimentPipeline.builder(experiment).components(host.components())
                    .listener(progress).listener(tracking).listener(new RunListener() {
                        @Override
                        public void onConversion(String model, ConversionResult conversion) {
                            conversions.put(model, conversion);
                        }
                    }).generationProgress(progress).stopWhen(stop::get);
            listeners.forEach(pipeline::listener);
            resume.ifPresent(pipeline::resume);
            runFolder.ifPresent(pipeline::runFolder);
            RunResult result = pipeline.build().run();
            int code = RunCommand.report(root, result, conversions, out, err);
            TrackingReport delivery = tracking.report().and(tracker.finish());
            delivery.problems().forEach(problem -> err.println("MLflow: " + problem));
            err.flush();
            // a run that finished says with its exit code where its MLflow records stand
            return code == ExitCodes.OK ? ExitCodes.of(delivery.outcome()) : code;
        } catch (ExperimentTooLargeException e) {
            root.printError(err, experimentSource + ": " + e.getMessage(), e);
            return ExitCodes.INVALID_EXPERIMENT;
        } catch (RunSetupException e) {
            root.printError(err, e.getMessage(), e);
            return ExitCodes.RUN_FAILED;
        } finally {
            finished.countDown();
            removeHook(onCtrlC);
        }
    }

    /**
     * MLflow tracking as the experiment's {@code tracking} section and MLFLOW_TRACKING_URI say.
     *
     * @throws ConfigException if they name a destination Spikeforge cannot track to: an invalid
     *     experiment, wherever the value came from
     */
    static RunTracker openTracker(Experiment experiment, Path experimentSource) throws ConfigException {
        if (!experiment.tracking().enabled()) {
            return RunTrackers.disabled();
        }
        TrackingOptions options;
        try {
            options = TrackingRunListener.options(experiment.tracking(), System.getenv(),
                    Path.of("").toAbsolutePath());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(List.of(new ConfigError(ConfigLocation.InFile.wholeFile(experimentSource),
                    "tracking.uri", e.getMessage())));
        }
        return RunTrackers.open(options);
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
}
