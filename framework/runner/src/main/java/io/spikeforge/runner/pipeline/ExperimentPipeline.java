package io.spikeforge.runner.pipeline;

import io.spikeforge.api.init.InitializationReport;
import io.spikeforge.common.IoErrors;
import io.spikeforge.engine.data.GenerationProgress;
import io.spikeforge.engine.data.ImageShape;
import io.spikeforge.engine.io.Safetensors;
import io.spikeforge.engine.io.SafetensorsFile;
import io.spikeforge.engine.io.StateDictMismatchException;
import io.spikeforge.engine.io.WeightImport;
import io.spikeforge.engine.model.Model;
import io.spikeforge.engine.train.EvaluationResult;
import io.spikeforge.engine.train.Evaluator;
import io.spikeforge.engine.train.LossBoundExceededException;
import io.spikeforge.engine.train.LossDivergedException;
import io.spikeforge.engine.train.Sgd;
import io.spikeforge.engine.train.TrainingCheckpoint;
import io.spikeforge.engine.train.TrainingLoop;
import io.spikeforge.engine.train.TrainingResult;
import io.spikeforge.runner.config.ComponentSlot;
import io.spikeforge.runner.config.Experiment;
import io.spikeforge.runner.config.ModelConfig;
import io.spikeforge.runner.config.TrainingConfig;
import io.spikeforge.tracking.RunLock;
import io.spikeforge.tracking.RunStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an experiment end to end, as IDSNN does: train an ANN teacher (or load its weights),
 * build the spiking student, initialize it from the teacher, train it with distillation from the
 * frozen teacher, and evaluate both on the test set after every epoch.
 *
 * <p>Before anything is written, the data set is loaded (a synthetic set whose folder does not
 * exist is generated, see {@link DataPreparation}), the teacher's weights, if given, are read, and
 * each model's optimizer and schedule, the student and every plugin component are created and tried
 * ({@link RunComponents}); problems there are {@link RunSetupException}s. Then the run gets its folder
 * {@code <outputs.dir>/<experiment.name>-<yyyyMMdd-HHmmss>[-n]}:
 * <ul>
 *   <li>{@code config.yaml}: the resolved experiment ({@link Experiment#toYaml()});</li>
 *   <li>{@code status}: {@code running}, then {@code finished}, {@code interrupted} or
 *       {@code failed} followed by the error;</li>
 *   <li>{@code metrics.csv}: a row per model and epoch, appended as each epoch ends ({@link MetricsCsv});</li>
 *   <li>{@code firing_rates.csv}: the student's firing rate per spiking layer and epoch ({@link FiringRatesCsv});</li>
 *   <li>{@code loss.png}, {@code accuracy.png}: the curves, redrawn after each epoch;</li>
 *   <li>{@code init-report.txt}: what the initialization strategy transferred;</li>
 *   <li>{@code teacher.safetensors}, {@code student.safetensors}: the final weights (also on a stop);</li>
 *   <li>{@code checkpoints/}: each model's full training state after its last (every
 *       {@code outputs.checkpoint_every}) and its best epoch ({@link Checkpoints}).</li>
 * </ul>
 *
 * <p>{@link Builder#resume} continues a stopped or killed run in its folder from the last
 * checkpoints, to the numbers an uninterrupted run gives.
 *
 * <p>Seeds: the teacher's and the student's initial weights and the two training data streams each
 * get their own seed derived from {@code experiment.seed}, so the same configuration and seed give
 * the same numbers. A stop request ({@link Builder#stopWhen}, typically from a Ctrl-C shutdown
 * hook) ends the run between two steps; the weights reached so far are written and the status says
 * {@code interrupted}.
 */
public final class ExperimentPipeline {
    /** The teacher's name in listener calls, metrics and file names. */
    public static final String TEACHER = "teacher";
    /** The student's name in listener calls, metrics and file names. */
    public static final String STUDENT = "student";

    private static final Logger LOG = LoggerFactory.getLogger(ExperimentPipeline.class);

    private final Experiment experiment;
    private final List<RunListener> listeners;
    private final BooleanSupplier stopRequested;
    private final Clock clock;
    private final GenerationProgress generationProgress;
    private final Optional<Path> resumeFolder;

    private ExperimentPipeline(Builder b) {
        this.experiment = b.experiment;
        this.listeners = List.copyOf(b.listeners);
        this.stopRequested = b.stopRequested;
        this.clock = b.clock;
        this.generationProgress = b.generationProgress;
        this.resumeFolder = Optional.ofNullable(b.resumeFolder);
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
        Optional<Resumption> resumption = resumeFolder.isPresent()
                ? Optional.of(Resumption.inspect(resumeFolder.get(), experiment)) : Optional.empty();
        ExperimentMemory.requireExpected(experiment);
        DataPreparation data = DataPreparation.load(experiment.dataset(), seeds.syntheticData(), generationProgress);
        ExperimentMemory.require(experiment, data.dataset());
        int classes = data.dataset().classCount();
        ImageShape input = data.dataset().shape();
        Model teacher = build("teacher.model", experiment.teacher().model(), input, classes, seeds.teacherWeights());
        boolean teacherLoaded = experiment.teacher().weights().isPresent();
        if (teacherLoaded) {
            loadWeights(experiment.teacher().weights().get(), teacher);
        }
        RunComponents components = RunComponents.create(experiment, teacher, input, classes,
                seeds.studentWeights());
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
                folder = RunFolder.create(experiment.outputs().dir(), experiment.experiment().name(), clock);
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
            throw new RunSetupException("outputs.dir: cannot create a run folder in " + experiment.outputs().dir()
                    + ": " + IoErrors.message(e) + removeUnstarted(folder), e);
        } catch (RuntimeException | Error e) {
            release(lock);
            if (resumption.isEmpty()) {
                removeUnstarted(folder);
            }
            throw e;
        }
        all.add(plots);
        all.addAll(listeners);
        RunInfo info = new RunInfo(experiment, folder.path(), classes, data.dataset().train().size(),
                data.dataset().test().size(), resumption.flatMap(Resumption::describe));
        Checkpoints checkpoints = new Checkpoints(folder.path(), experiment.experiment().name(), configSha256);
        try {
            return new Run(folder, data, seeds, teacher, teacherLoaded, components, all, checkpoints,
                    resumption.orElse(Resumption.NONE)).execute(info);
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

    private Model build(String key, ModelConfig model, ImageShape input, int classes, long seed)
            throws RunSetupException {
        try {
            return ModelFactory.build(model, input, classes, seed, experiment.neuron(), experiment.surrogate());
        } catch (IllegalArgumentException e) {
            throw new RunSetupException(key + ": " + e.getMessage(), e);
        }
    }

    private static void loadWeights(Path file, Model teacher) throws RunSetupException {
        if (!file.getFileName().toString().endsWith(".safetensors")) {
            throw new RunSetupException("teacher.weights: " + file + ": only .safetensors files can be loaded for now"
                    + " (PyTorch writes them with safetensors.torch.save_file; see docs/data.md)");
        }
        if (!Files.isRegularFile(file)) {
            throw new RunSetupException("teacher.weights: " + file + ": no such file");
        }
        try {
            SafetensorsFile contents = Safetensors.read(file);
            if (TrainingCheckpoint.isCheckpoint(contents)) {
                contents = TrainingCheckpoint.of(file, contents).weights();
            }
            Map<String, INDArray> target = new LinkedHashMap<>();
            teacher.stateDict().names().forEach(name -> target.put(name, teacher.stateDict().get(name)));
            WeightImport.importInto(file, contents, target, Optional.of(teacher.architecture()));
        } catch (StateDictMismatchException e) {
            throw new RunSetupException("teacher.weights: " + e.getMessage() + (e.otherNetwork()
                    ? System.lineSeparator() + "the file must hold the weights of the " + teacher.architecture()
                            + " that teacher.model describes" : ""), e);
        } catch (IOException e) {
            throw new RunSetupException("teacher.weights: cannot read " + file + ": " + IoErrors.message(e), e);
        }
    }

    /**
     * The message a failed run records: the exception's, with the keys to change where they are
     * known, the cause of an I/O failure, and the type of an {@link Error} (whose message alone, such
     * as a method's signature, does not say what went wrong).
     */
    static String describe(Throwable e) {
        if (e instanceof LossDivergedException diverged) {
            String training = TEACHER.equals(diverged.model()) ? "teacher.training" : "training";
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

    /** One run's state, from its folder's creation to its end. */
    private final class Run {
        private final RunFolder folder;
        private final DataPreparation data;
        private final Seeds seeds;
        private final Model teacher;
        private final boolean teacherLoaded;
        private final RunComponents components;
        private final List<RunListener> listeners;
        private final Checkpoints checkpoints;
        private final Resumption resumption;
        private Optional<EvaluationResult> teacherEvaluation = Optional.empty();
        private Optional<EvaluationResult> studentEvaluation = Optional.empty();

        Run(RunFolder folder, DataPreparation data, Seeds seeds, Model teacher, boolean teacherLoaded,
            RunComponents components, List<RunListener> listeners, Checkpoints checkpoints, Resumption resumption) {
            this.folder = folder;
            this.data = data;
            this.seeds = seeds;
            this.teacher = teacher;
            this.teacherLoaded = teacherLoaded;
            this.components = components;
            this.listeners = listeners;
            this.checkpoints = checkpoints;
            this.resumption = resumption;
        }

        RunResult execute(RunInfo info) {
            RunStatus status;
            String error = null;
            Throwable failure = null;
            try {
                listeners.forEach(l -> l.onRunStart(info));
                status = phases();
            } catch (Throwable e) {
                // whatever ended it, Errors from plugin code (LinkageError) included, the run ends as
                // failed: status written, listeners told (MLflow marks the run FAILED), lock released
                status = RunStatus.FAILED;
                error = describe(e);
                failure = e;
                LOG.debug("run {} failed", folder.path(), e);
            }
            try {
                folder.writeStatus(status, error);
            } catch (IOException e) {
                LOG.error("cannot write the status of {}: {}", folder.path(), IoErrors.message(e));
            }
            RunResult result = new RunResult(folder.path(), status, teacherEvaluation, studentEvaluation,
                    Optional.ofNullable(error), Optional.ofNullable(failure));
            for (RunListener listener : listeners) {
                try {
                    listener.onRunEnd(result);
                } catch (RuntimeException e) {
                    LOG.warn("a run listener failed at the end of the run: {}", e.toString());
                }
            }
            return result;
        }

        private RunStatus phases() throws IOException {
            if (!teacherPhase()) {
                return RunStatus.INTERRUPTED;
            }
            Model student = components.student();
            ModelFactory.Training training = components.studentTraining();
            Sgd optimizer = training.optimizer();
            Optional<Checkpoints.Saved> saved = resumption.student();
            if (saved.isPresent()) {
                saved.get().checkpoint().restore(student, optimizer);
                studentEvaluation = Optional.of(saved.get().evaluation());
            } else {
                initialize(student);
                Optional<EvaluationResult> initial = Evaluator.evaluate(student,
                        data.evaluation(training.settings().batchSize()), stopRequested);
                if (initial.isEmpty()) {
                    save(STUDENT, student);
                    return RunStatus.INTERRUPTED;
                }
                studentEvaluation = initial;
                listeners.forEach(l -> l.onEvaluation(STUDENT, initial.get()));
            }
            if (saved.isPresent() && saved.get().complete()) {
                save(STUDENT, student);
                return RunStatus.FINISHED;
            }
            TrainingLoop.Builder loop = loop(STUDENT, student, training, seeds.studentData(),
                    saved.map(Checkpoints.Saved::epochsCompleted).orElse(0),
                    saved.map(Checkpoints.Saved::best).orElse(Checkpoints.Best.NONE));
            components.distillation().ifPresent(loss -> loop.distillFrom(teacher, loss));
            TrainingResult result = loop.build().run();
            result.lastEpoch().ifPresent(last -> studentEvaluation = Optional.of(last.evaluation()));
            save(STUDENT, student);
            return result.stopped() ? RunStatus.INTERRUPTED : RunStatus.FINISHED;
        }

        /** Trains, restores or evaluates the teacher and saves it; false when a stop request cut it short. */
        private boolean teacherPhase() throws IOException {
            ModelFactory.Training training = components.teacherTraining();
            if (teacherLoaded) {
                Optional<EvaluationResult> recorded = resumption.student()
                        .flatMap(Checkpoints.Saved::teacherEvaluation);
                if (recorded.isPresent()) {
                    teacherEvaluation = recorded;
                } else {
                    teacherEvaluation = Evaluator.evaluate(teacher, data.evaluation(training.settings().batchSize()),
                            stopRequested);
                    teacherEvaluation.ifPresent(e -> listeners.forEach(l -> l.onEvaluation(TEACHER, e)));
                }
                save(TEACHER, teacher);
                return teacherEvaluation.isPresent();
            }
            Sgd optimizer = training.optimizer();
            Optional<Checkpoints.Saved> saved = resumption.teacher();
            if (saved.isPresent()) {
                saved.get().checkpoint().restore(teacher, optimizer);
                teacherEvaluation = Optional.of(saved.get().evaluation());
            }
            if (saved.isPresent() && saved.get().complete()) {
                save(TEACHER, teacher);
                return true;
            }
            TrainingResult result = loop(TEACHER, teacher, training, seeds.teacherData(),
                    saved.map(Checkpoints.Saved::epochsCompleted).orElse(0),
                    saved.map(Checkpoints.Saved::best).orElse(Checkpoints.Best.NONE)).build().run();
            result.lastEpoch().ifPresent(last -> teacherEvaluation = Optional.of(last.evaluation()));
            save(TEACHER, teacher);
            return !result.stopped();
        }

        /**
         * A training loop from the given epoch, its listeners the run's followed by the checkpoint
         * writer (so a checkpoint is written once its epoch's metrics are).
         */
        private TrainingLoop.Builder loop(String name, Model model, ModelFactory.Training training, long dataSeed,
                                          int completedEpochs, Checkpoints.Best best) {
            TrainingConfig settings = training.settings();
            TrainingLoop.Builder loop = TrainingLoop.builder(name, model, data.training(settings.batchSize(), dataSeed),
                            data.evaluation(settings.batchSize()))
                    .optimizer(training.optimizer(), training.schedule(), settings.epochs())
                    .divergence(training.divergence())
                    .startAt(completedEpochs)
                    .stopWhen(stopRequested);
            listeners.forEach(loop::listener);
            Map<String, String> extra = new LinkedHashMap<>();
            if (STUDENT.equals(name) && teacherLoaded) {
                extra.put(Checkpoints.TEACHER_WEIGHTS_SHA256, teacherWeightsSha256());
            }
            loop.listener(checkpoints.writer(name, model, training.optimizer(), settings.epochs(),
                    experiment.outputs().checkpointEvery(), dataSeed, best,
                    STUDENT.equals(name) ? teacherEvaluation : Optional.empty(), extra));
            return loop;
        }

        private String teacherWeightsSha256() {
            try {
                return Checkpoints.sha256(experiment.teacher().weights().orElseThrow());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read teacher.weights again", e);
            }
        }

        /** Applies the initialization strategy, if any, and writes its report. */
        private void initialize(Model student) throws IOException {
            Optional<ComponentSlot> slot = experiment.initialization();
            if (components.initialization().isEmpty()) {
                folder.write(RunFolder.INIT_REPORT, "initialization: none; the student keeps its random initial"
                        + " weights\n");
                return;
            }
            InitializationReport report;
            try {
                report = components.initialization().get()
                        .initialize(teacher.structure(), teacher.stateDict(), student.structure(), student.stateDict());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("initialization " + slot.get().id() + " cannot map the teacher onto"
                        + " the student: " + e.getMessage(), e);
            }
            folder.write(RunFolder.INIT_REPORT, "initialization: " + slot.get().id() + " "
                    + slot.get().parameters().asMap() + "\nteacher: " + teacher.architecture() + ", student: "
                    + student.architecture() + "\n" + report.toText());
        }

        private void save(String name, Model model) throws IOException {
            Safetensors.write(folder.file(name + ".safetensors"), model.stateDict(), Map.of(WeightImport.MODEL_KEY,
                    name, WeightImport.ARCHITECTURE_KEY, model.architecture(), "experiment",
                    experiment.experiment().name()));
        }
    }

    /** Settings of an {@link ExperimentPipeline}; only the experiment is required. */
    public static final class Builder {
        private final Experiment experiment;
        private final List<RunListener> listeners = new ArrayList<>();
        private BooleanSupplier stopRequested = () -> false;
        private Clock clock = Clock.systemDefaultZone();
        private GenerationProgress generationProgress = GenerationProgress.NONE;
        private Path resumeFolder;

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

        public ExperimentPipeline build() {
            return new ExperimentPipeline(this);
        }
    }
}
