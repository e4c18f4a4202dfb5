package io.spikeforge.runner.pipeline;

import io.spikeforge.common.IoErrors;
import io.spikeforge.engine.data.GenerationProgress;
import io.spikeforge.engine.train.LossBoundExceededException;
import io.spikeforge.engine.train.LossDivergedException;
import io.spikeforge.runner.config.Experiment;
import io.spikeforge.runner.plugin.ComponentProviders;
import io.spikeforge.runner.plugin.ComponentRegistry;
import io.spikeforge.runner.plugin.RegisteredComponent;
import io.spikeforge.tracking.RunLock;
import io.spikeforge.tracking.RunStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an experiment of any kind end to end: the kind ({@link Kind}) arranges its models into
 * {@link Phase}s (for {@code distill}, IDSNN: train or load the ANN teacher, initialize the spiking
 * student from it, train the student with distillation; for {@code train}: train one model; for
 * {@code convert}: train or load an ANN, convert it into a spiking network, evaluate that over
 * time-steps and analyse its errors), and
 * this runner executes them in one run folder, with the metrics, plots, tracking, checkpoints,
 * {@code --resume} and end status they share.
 *
 * <p>Before anything is written, the data set is loaded (a synthetic set whose folder does not
 * exist is generated, see {@link DataPreparation}), weights files are read, and each model's
 * optimizer and schedule and every plugin component are created and tried ({@link Kind#plan});
 * problems there are {@link RunSetupException}s. Then the run gets its folder
 * {@code <outputs.dir>/<experiment.name>-<yyyyMMdd-HHmmss>[-n]}:
 * <ul>
 *   <li>{@code config.yaml}: the resolved experiment ({@link Experiment#toYaml()});</li>
 *   <li>{@code status}: {@code running}, then {@code finished}, {@code interrupted} or
 *       {@code failed} followed by the error;</li>
 *   <li>{@code metrics.csv}: a row per model and epoch, appended as each epoch ends ({@link MetricsCsv});</li>
 *   <li>{@code firing_rates.csv}: each spiking model's firing rate per spiking layer and epoch ({@link FiringRatesCsv});</li>
 *   <li>{@code loss.png}, {@code accuracy.png}: the curves, redrawn after each epoch;</li>
 *   <li>{@code energy.csv}: each evaluated model's operations and energy per image and layer, from
 *       its last evaluation, written when the run ends ({@link EnergyCsv});</li>
 *   <li>{@code init-report.txt} ({@code distill}): what the initialization strategy transferred;</li>
 *   <li>{@code <model>.safetensors} for each model ({@code teacher}, {@code student}; {@code model};
 *       {@code ann}): the final weights (also on a stop);</li>
 *   <li>{@code convert}: {@code thresholds.safetensors}, {@code accuracy-vs-timesteps.csv} and
 *       {@code .png}, {@code conversion-errors.csv} and {@code .png}, {@code current-variance.png},
 *       {@code energy.csv} ({@link ConvertPhase});</li>
 *   <li>{@code checkpoints/}: each trained model's full training state after its last (every
 *       {@code outputs.checkpoint_every}) and its best epoch ({@link Checkpoints}).</li>
 * </ul>
 *
 * <p>{@link Builder#resume} continues a stopped or killed run in its folder from the last
 * checkpoints, to the numbers an uninterrupted run gives.
 *
 * <p>Seeds: each model's initial weights and training data stream get their own seed derived from
 * {@code experiment.seed} and the model's name ({@link Seeds}), so the same configuration and seed
 * give the same numbers. A stop request ({@link Builder#stopWhen}, typically from a Ctrl-C shutdown
 * hook) ends the run between two steps; the weights reached so far are written and the status says
 * {@code interrupted}.
 */
public final class ExperimentPipeline {
    /** The teacher's name in listener calls, metrics and file names ({@code distill}). */
    public static final String TEACHER = "teacher";
    /** The student's name in listener calls, metrics and file names ({@code distill}). */
    public static final String STUDENT = "student";
    /** The trained model's name in listener calls, metrics and file names ({@code train}). */
    public static final String MODEL = "model";
    /** The ANN's name in listener calls, metrics and file names ({@code convert}). */
    public static final String ANN = "ann";
    /** The converted spiking network's name in listener calls and results ({@code convert}). */
    public static final String SNN = "snn";

    private static final Logger LOG = LoggerFactory.getLogger(ExperimentPipeline.class);

    private final Experiment experiment;
    private final List<RunListener> listeners;
    private final BooleanSupplier stopRequested;
    private final Clock clock;
    private final GenerationProgress generationProgress;
    private final Optional<Path> resumeFolder;
    private final Optional<ComponentProviders> components;
    private final Optional<Path> runFolder;

    private ExperimentPipeline(Builder b) {
        this.experiment = b.experiment;
        this.listeners = List.copyOf(b.listeners);
        this.stopRequested = b.stopRequested;
        this.clock = b.clock;
        this.generationProgress = b.generationProgress;
        this.resumeFolder = Optional.ofNullable(b.resumeFolder);
        this.components = Optional.ofNullable(b.components);
        this.runFolder = Optional.ofNullable(b.runFolder);
        if (resumeFolder.isPresent() && runFolder.isPresent()) {
            throw new IllegalStateException("a run either resumes a folder or starts in a given one, not both");
        }
    }

    /**
     * Generates the experiment's synthetic data set where its folder holds none, as {@link #run}
     * would; nothing for other data sets. A sweep calls it before it starts arms at once, which would
     * otherwise each generate the same set in the same folder.
     *
     * @throws RunSetupException naming {@code dataset.path} when the set cannot be generated or read
     */
    public static void prepareSyntheticData(Experiment experiment, GenerationProgress progress)
            throws RunSetupException {
        if (experiment.dataset().name() == io.spikeforge.engine.data.DatasetKind.SYNTHETIC) {
            DataPreparation.load(experiment.dataset(), Seeds.of(experiment.experiment().seed()).syntheticData(),
                    progress);
        }
    }

    /** Settings for running one experiment. */
    public static Builder builder(Experiment experiment) {
        return new Builder(experiment);
    }

    /**
     * Runs the experiment. Failures after the run folder exists do not throw: they end the run with
     * status {@link RunStatus#FAILED}, recorded in the folder and in the result.
     *
     * @throws RunSetupException when the data set or the teacher's weights cannot be read, the
     *     models and batches need more memory than the process may take
     *     ({@link ExperimentTooLargeException}), or the run folder cannot be created (nothing is
     *     written then)
     */
    public RunResult run() throws RunSetupException {
        // a resumed folder is locked before it is inspected, so that no other process changes it meanwhile
        RunLock resumeLock = resumeFolder.isPresent() ? lockForResume(resumeFolder.get()) : null;
        try {
            return runInFolder();
        } finally {
            release(resumeLock);
        }
    }

    private static RunLock lockForResume(Path folder) throws RunSetupException {
        Optional<String> notARunFolder = RunFolder.whyNotARunFolder(folder);
        if (notARunFolder.isPresent()) {
            throw new RunSetupException("cannot resume " + folder + ": " + notARunFolder.get());
        }
        try {
            return RunLock.tryAcquire(folder).orElseThrow(() -> new RunSetupException("cannot resume " + folder
                    + ": another process is running this run (it holds " + folder.resolve(RunLock.FILE_NAME) + ")"));
        } catch (IOException e) {
            throw new RunSetupException("cannot resume " + folder + ": cannot lock it: " + IoErrors.message(e), e);
        }
    }

    private RunResult runInFolder() throws RunSetupException {
        Seeds seeds = Seeds.of(experiment.experiment().seed());
        ExperimentMemory.requireExpected(experiment);
        DataPreparation data = DataPreparation.load(experiment.dataset(), seeds.syntheticData(), generationProgress);
        ExperimentMemory.require(experiment, data.dataset());
        Kind<?> kind = Kind.of(experiment.kind());
        List<RegisteredComponent> used = components(kind);
        Kind.Plan plan = plan(kind, data, seeds, components.orElseGet(
                () -> ComponentProviders.of(ComponentRegistry.of(used))));
        Optional<Resumption> resumption = resumeFolder.isPresent()
                ? Optional.of(Resumption.inspect(resumeFolder.get(), experiment, plan, used)) : Optional.empty();
        plan.readWeights().read();
        RunFolder folder = null;
        RunLock lock = null; // a new run's; a resumed one is locked by run()
        List<RunListener> all = new ArrayList<>();
        CurvePlots plots;
        String configSha256;
        try {
            if (resumption.isPresent()) {
                folder = resumption.get().folder();
                MetricsCsv.Resumed metrics = MetricsCsv.resume(folder.file(RunFolder.METRICS),
                        resumption.get()::keepsRow);
                all.add(metrics.metrics());
                all.add(FiringRatesCsv.resume(folder.file(RunFolder.FIRING_RATES), resumption.get()::keepsRow));
                plots = new CurvePlots(folder.file(RunFolder.LOSS_PLOT), folder.file(RunFolder.ACCURACY_PLOT));
                plots.preload(metrics.rows());
            } else {
                folder = runFolder.isPresent() ? RunFolder.createAt(runFolder.get())
                        : RunFolder.create(experiment.outputs().dir(), experiment.experiment().name(), clock);
                lock = lock(folder);
                folder.write(RunFolder.CONFIG, experiment.toYaml());
                all.add(MetricsCsv.create(folder.file(RunFolder.METRICS)));
                all.add(FiringRatesCsv.create(folder.file(RunFolder.FIRING_RATES)));
                plots = new CurvePlots(folder.file(RunFolder.LOSS_PLOT), folder.file(RunFolder.ACCURACY_PLOT));
            }
            folder.writeStatus(RunStatus.RUNNING, null);
            configSha256 = folder.configSha256();
        } catch (IOException e) {
            release(lock);
            if (resumption.isPresent()) {
                // the folder stays resumable: the files above are rewritten atomically
                throw new RunSetupException("cannot resume " + resumption.get().folder().path() + ": "
                        + IoErrors.message(e), e);
            }
            String where = runFolder.map(given -> "cannot create the run folder " + given)
                    .orElse("outputs.dir: cannot create a run folder in " + experiment.outputs().dir());
            throw new RunSetupException(where + ": " + IoErrors.message(e) + removeUnstarted(folder), e);
        } catch (RuntimeException | Error e) {
            release(lock);
            if (resumption.isEmpty()) {
                removeUnstarted(folder);
            }
            throw e;
        }
        all.add(plots);
        all.addAll(listeners);
        RunInfo info = new RunInfo(experiment, folder.path(), data.dataset().classCount(),
                data.dataset().train().size(), data.dataset().test().size(), resumption.flatMap(Resumption::describe));
        Checkpoints checkpoints = new Checkpoints(folder.path(), experiment.experiment().name(), configSha256);
        try {
            RunState state = new RunState(experiment, folder, data, seeds, all, checkpoints,
                    resumption.orElse(Resumption.NONE), stopRequested);
            return execute(plan, state, info);
        } finally {
            release(lock);
        }
    }

    /**
     * Removes a new run's folder whose setup failed, so that no half-made folder (which could not
     * be resumed) stays behind; says so, or what is left, for the error message.
     */
    private static String removeUnstarted(RunFolder folder) {
        if (folder == null) {
            return "";
        }
        try {
            folder.removeUnstarted();
            return " (the new folder " + folder.path() + " was removed)";
        } catch (IOException e) {
            LOG.warn("cannot remove the unstarted run folder {}: {}", folder.path(), IoErrors.message(e));
            return " (the new folder " + folder.path() + " could not be removed: " + IoErrors.message(e) + ")";
        }
    }

    private static void release(RunLock lock) {
        if (lock == null) {
            return;
        }
        try {
            lock.close();
        } catch (IOException e) {
            LOG.warn("cannot release a run folder's lock: {}", IoErrors.message(e));
        }
    }

    /** A new folder's lock, so that no second process resumes it while this one runs. */
    private static RunLock lock(RunFolder folder) throws IOException {
        return RunLock.tryAcquire(folder.path()).orElseThrow(() -> new IOException("another process is running"
                + " this run (it holds " + folder.file(RunLock.FILE_NAME) + ")"));
    }

    /** The kind's plan, its experiment record typed as the kind declares. */
    private <E extends Experiment> Kind.Plan plan(Kind<E> kind, DataPreparation data, Seeds seeds,
                                                  ComponentProviders providers) throws RunSetupException {
        return kind.plan(kind.type().cast(experiment), data, seeds, providers);
    }

    private <E extends Experiment> List<RegisteredComponent> components(Kind<E> kind) {
        return kind.components(kind.type().cast(experiment));
    }

    /**
     * The message a failed run records: the exception's, with the keys to change where they are
     * known, the cause of an I/O failure, and the type of an {@link Error} (whose message alone, such
     * as a method's signature, does not say what went wrong).
     */
    static String describe(Throwable e) {
        if (e instanceof LossDivergedException diverged) {
            String training = TEACHER.equals(diverged.model()) ? "teacher.training" : "training";
            // every kind trains its main model with the top-level training section
            String message = e.getMessage() + " (set by " + training + ".optimizer.lr)";
            if (e instanceof LossBoundExceededException) {
                message += "; the divergence check is " + training + ".divergence: loss_factor and steps,"
                        + " or enabled: false to turn it off";
            }
            return message;
        }
        if (e instanceof LinkageError) {
            return e + " (a plugin built against other versions of Spikeforge's API or of a library than those"
                    + " it runs with; `spikeforge -v run` prints the stack trace)";
        }
        if (e instanceof Error || e instanceof IOException || e instanceof UncheckedIOException) {
            return IoErrors.withCauses(e);
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /**
     * Runs the plan's phases in order until one is stopped, then writes the status and tells the
     * listeners how the run ended.
     */
    private static RunResult execute(Kind.Plan plan, RunState run, RunInfo info) {
        RunStatus status;
        String error = null;
        Throwable failure = null;
        try {
            run.listeners().forEach(l -> l.onRunStart(info));
            status = RunStatus.FINISHED;
            for (Phase phase : plan.phases()) {
                if (!phase.run(run)) {
                    status = RunStatus.INTERRUPTED;
                    break;
                }
            }
            EnergyCsv.write(run.folder(), run.evaluations());
        } catch (Throwable e) {
            // whatever ended it, Errors from plugin code (LinkageError) included, the run ends as
            // failed: status written, listeners told (MLflow marks the run FAILED), lock released
            status = RunStatus.FAILED;
            error = describe(e);
            failure = e;
            LOG.debug("run {} failed", run.folder().path(), e);
        }
        try {
            run.folder().writeStatus(status, error);
        } catch (IOException e) {
            LOG.error("cannot write the status of {}: {}", run.folder().path(), IoErrors.message(e));
        }
        RunResult result = new RunResult(run.folder().path(), status, plan.models(), run.evaluations(),
                Optional.ofNullable(error), Optional.ofNullable(failure));
        for (RunListener listener : run.listeners()) {
            try {
                listener.onRunEnd(result);
            } catch (RuntimeException e) {
                LOG.warn("a run listener failed at the end of the run: {}", e.toString());
            }
        }
        return result;
    }

    /** Settings of an {@link ExperimentPipeline}; only the experiment is required. */
    public static final class Builder {
        private final Experiment experiment;
        private final List<RunListener> listeners = new ArrayList<>();
        private BooleanSupplier stopRequested = () -> false;
        private Clock clock = Clock.systemDefaultZone();
        private GenerationProgress generationProgress = GenerationProgress.NONE;
        private Path resumeFolder;
        private ComponentProviders components;
        private Path runFolder;

        private Builder(Experiment experiment) {
            this.experiment = Objects.requireNonNull(experiment, "experiment");
        }

        /** Adds a listener, called after the pipeline's own (metrics and plots), in the order added. */
        public Builder listener(RunListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** A condition checked between steps and evaluation batches; true stops the run, keeping its files. */
        public Builder stopWhen(BooleanSupplier stopRequested) {
            this.stopRequested = Objects.requireNonNull(stopRequested, "stopRequested");
            return this;
        }

        /** The clock that names run folders; the system's local time by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Told how far the generation of a missing synthetic data set has come. */
        public Builder generationProgress(GenerationProgress progress) {
            this.generationProgress = Objects.requireNonNull(progress, "progress");
            return this;
        }

        /**
         * Continues the run in an existing folder instead of starting a new one: each model goes
         * on from its last checkpoint ({@code checkpoints/<model>-last.safetensors}); a model
         * without one starts over. The experiment must be the one in the folder's
         * {@code config.yaml}; the result equals that of an uninterrupted run.
         */
        public Builder resume(Path runFolder) {
            this.resumeFolder = Objects.requireNonNull(runFolder, "runFolder");
            return this;
        }

        /**
         * Where the kind gets its plugin components: the plugin host's ({@code PluginHost.components()});
         * by default, an injector over the components the experiment's slots name.
         */
        public Builder components(ComponentProviders components) {
            this.components = Objects.requireNonNull(components, "components");
            return this;
        }

        /**
         * Starts the run in this folder, which must not exist yet (its parent folders are created),
         * instead of a new folder under {@code outputs.dir} named after the experiment and the time:
         * a sweep's arm runs in the folder the sweep gives it. Not together with {@link #resume}.
         */
        public Builder runFolder(Path folder) {
            this.runFolder = Objects.requireNonNull(folder, "folder");
            return this;
        }

        public ExperimentPipeline build() {
            return new ExperimentPipeline(this);
        }
    }
}
