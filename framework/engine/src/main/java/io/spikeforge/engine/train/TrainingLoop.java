package io.spikeforge.engine.train;

import io.spikeforge.api.distill.DistillationLoss;
import io.spikeforge.api.distill.LossValue;
import io.spikeforge.engine.data.Batch;
import io.spikeforge.engine.data.DataLoader;
import io.spikeforge.engine.data.EpochBatches;
import io.spikeforge.api.model.Parameter;
import io.spikeforge.engine.layer.SoftmaxCrossEntropy;
import io.spikeforge.engine.model.Model;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Trains a {@link Model} for a number of epochs and evaluates it on the test set after each.
 *
 * <p>One step: zero the gradients, forward in training mode, the loss (cross-entropy, or a
 * {@link DistillationLoss} given the student's logits, a frozen teacher's logits and the labels),
 * backward, an {@link Sgd} update with the epoch's learning rate from the schedule. The teacher
 * runs in evaluation mode (BN running statistics, no state kept for a backward pass) and is never
 * updated. A diverging loss throws a {@link LossDivergedException} before the update: a NaN or
 * infinite one at once, a finite one that stays above the {@link DivergenceRule}'s bound (set by the
 * classes and this loop's first loss) for its number of steps in a row (counted across epochs) at
 * the last of them.
 *
 * <p>Evaluation after each epoch uses {@link Evaluator}: accuracy, cross-entropy (whatever the
 * training loss, so that runs with and without distillation compare) and firing rates.
 *
 * <p>Batches come from the loaders, whose content depends only on their seed and the epoch, so
 * equal models, loaders and settings give equal results. {@link Builder#stopWhen} lets another
 * thread (a shutdown hook) end the training between two steps. Not thread-safe; a loop runs once.
 *
 * <pre>{@code
 * TrainingResult result = TrainingLoop.builder("student", student, trainLoader, testLoader)
 *         .optimizer(new Sgd(0.9, 1e-4, false), LearningRateSchedule.constant(0.05), 10)
 *         .distillFrom(teacher, hintonKd)
 *         .listener(progress)
 *         .build()
 *         .run();
 * }</pre>
 */
public final class TrainingLoop {
    private final String name;
    private final Model model;
    private final DataLoader train;
    private final DataLoader test;
    private final Sgd optimizer;
    private final LearningRateSchedule schedule;
    private final int epochs;
    private final int firstEpoch;
    private final Objective objective;
    private final List<TrainingListener> listeners;
    private final BooleanSupplier stopRequested;
    private final List<Parameter> parameters;
    private final DivergenceRule divergence;
    /** The first step's loss, which with the classes sets the divergence bound; NaN until that step. */
    private double firstLoss = Double.NaN;
    private double lossBound;
    /** Consecutive steps whose loss was above {@link #lossBound}. */
    private int stepsAboveBound;
    private boolean ran;

    private TrainingLoop(Builder b) {
        this.name = b.name;
        this.model = b.model;
        this.train = b.train;
        this.test = b.test;
        this.optimizer = Objects.requireNonNull(b.optimizer, "optimizer: call Builder.optimizer");
        this.schedule = b.schedule;
        this.epochs = b.epochs;
        if (b.firstEpoch > epochs) {
            throw new IllegalArgumentException("cannot start at epoch " + b.firstEpoch + " of " + epochs);
        }
        this.firstEpoch = b.firstEpoch;
        this.objective = b.teacher == null ? new CrossEntropy(model) : new Distillation(b.teacher, b.distillation);
        this.listeners = List.copyOf(b.listeners);
        this.stopRequested = b.stopRequested;
        this.parameters = List.copyOf(model.parameters().values());
        this.divergence = b.divergence;
        // the step never reads dL/dimages
        model.skipInputGradient();
    }

    /**
     * Starts a loop's settings.
     *
     * @param name what listeners and messages call the model, such as {@code teacher}
     * @param model the model to train
     * @param train training batches (a training loader: shuffled, augmented)
     * @param test evaluation batches (an evaluation loader)
     */
    public static Builder builder(String name, Model model, DataLoader train, DataLoader test) {
        return new Builder(name, model, train, test);
    }

    /**
     * Trains every epoch from the first ({@link Builder#startAt}), or until a stop is requested.
     *
     * @throws NonFiniteLossException when a training loss is NaN or infinite
     * @throws LossBoundExceededException when the training loss stays above the divergence rule's
     *     bound for its number of steps
     * @throws IllegalStateException on a second call
     */
    public TrainingResult run() {
        if (ran) {
            throw new IllegalStateException("a training loop runs once");
        }
        ran = true;
        int steps = train.batchesPerEpoch();
        TrainingStart start = new TrainingStart(name, epochs, steps, test.batchesPerEpoch(), firstEpoch);
        listeners.forEach(l -> l.onTrainingStart(start));
        List<EpochResult> finished = new ArrayList<>();
        for (int epoch = firstEpoch; epoch < epochs; epoch++) {
            Optional<EpochResult> result = runEpoch(epoch, steps);
            if (result.isEmpty()) {
                return new TrainingResult(finished, true);
            }
            finished.add(result.get());
            listeners.forEach(l -> l.onEpoch(result.get()));
        }
        return new TrainingResult(finished, false);
    }

    /** One epoch's steps and evaluation; empty when a stop request cut it short. */
    private Optional<EpochResult> runEpoch(int epoch, int steps) {
        double learningRate = schedule.rate(epoch);
        long trainingStart = System.nanoTime();
        double lossSum = 0;
        Map<String, Double> termSums = new LinkedHashMap<>();
        long correct = 0;
        int images = 0;
        try (EpochBatches batches = train.epoch(epoch)) {
            for (int step = 0; batches.hasNext(); step++) {
                if (stopRequested.getAsBoolean()) {
                    return Optional.empty();
                }
                Batch batch = batches.next();
                long stepStart = System.nanoTime();
                model.zeroGradients();
                INDArray logits = model.forward(batch.images(), true);
                LossValue loss = objective.compute(logits, batch);
                checkDivergence(loss.value(), epoch, step, learningRate);
                correct += Predictions.correct(logits, batch.labels());
                model.backward(loss.gradient());
                optimizer.step(parameters, learningRate);
                Duration stepTime = Duration.ofNanos(System.nanoTime() - stepStart);

                int size = batch.size();
                images += size;
                lossSum += loss.value() * size;
                loss.terms().forEach((term, value) -> termSums.merge(term, value * size, Double::sum));
                StepResult result = new StepResult(name, epoch, step, steps, loss.value(), loss.terms(), learningRate,
                        size, stepTime);
                listeners.forEach(l -> l.onStep(result));
            }
        }
        Duration trainingTime = Duration.ofNanos(System.nanoTime() - trainingStart);
        long evaluationStart = System.nanoTime();
        Optional<EvaluationResult> evaluation = Evaluator.evaluate(model, test, stopRequested);
        if (evaluation.isEmpty()) {
            return Optional.empty();
        }
        Duration evaluationTime = Duration.ofNanos(System.nanoTime() - evaluationStart);
        int trained = images;
        Map<String, Double> termMeans = new LinkedHashMap<>();
        termSums.forEach((term, sum) -> termMeans.put(term, sum / trained));
        return Optional.of(new EpochResult(name, epoch, learningRate, lossSum / images, termMeans,
                (double) correct / images, evaluation.get(), trainingTime, evaluationTime));
    }

    private void checkDivergence(double loss, int epoch, int step, double learningRate) {
        if (!Double.isFinite(loss)) {
            throw new NonFiniteLossException(name, epoch, step, loss, learningRate);
        }
        if (Double.isNaN(firstLoss)) {
            firstLoss = loss;
            lossBound = divergence.bound(model.classes(), firstLoss);
        }
        stepsAboveBound = loss > lossBound ? stepsAboveBound + 1 : 0;
        if (stepsAboveBound >= divergence.steps()) {
            throw new LossBoundExceededException(name, epoch, step, loss, learningRate,
                    divergence.describe(model.classes(), firstLoss), stepsAboveBound);
        }
    }

    /** The training loss of a batch given the model's logits. */
    private interface Objective {
        LossValue compute(INDArray logits, Batch batch);
    }

    /** Plain cross-entropy with the labels; its single term is {@code ce}. */
    private static final class CrossEntropy implements Objective {
        private final SoftmaxCrossEntropy loss;

        CrossEntropy(Model model) {
            this.loss = new SoftmaxCrossEntropy(model.dataType());
        }

        @Override
        public LossValue compute(INDArray logits, Batch batch) {
            double value = loss.forward(logits, batch.labels());
            return new LossValue(value, loss.backward(), Map.of("ce", value));
        }
    }

    /** A distillation loss against a frozen teacher that sees the same (augmented) batch. */
    private static final class Distillation implements Objective {
        private final Model teacher;
        private final DistillationLoss loss;

        Distillation(Model teacher, DistillationLoss loss) {
            this.teacher = teacher;
            this.loss = loss;
        }

        @Override
        public LossValue compute(INDArray logits, Batch batch) {
            INDArray teacherLogits = teacher.forward(batch.images(), false);
            return loss.compute(logits, teacherLogits, batch.labels());
        }
    }

    /** Settings of a {@link TrainingLoop}; {@link #optimizer} is required. */
    public static final class Builder {
        private final String name;
        private final Model model;
        private final DataLoader train;
        private final DataLoader test;
        private Sgd optimizer;
        private LearningRateSchedule schedule;
        private int epochs;
        private int firstEpoch;
        private Model teacher;
        private DistillationLoss distillation;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private BooleanSupplier stopRequested = () -> false;
        private DivergenceRule divergence = DivergenceRule.DEFAULT;

        private Builder(String name, Model model, DataLoader train, DataLoader test) {
            this.name = Objects.requireNonNull(name, "name");
            this.model = Objects.requireNonNull(model, "model");
            this.train = Objects.requireNonNull(train, "train");
            this.test = Objects.requireNonNull(test, "test");
        }

        /**
         * How parameters are updated.
         *
         * @param optimizer the optimizer, with its own state
         * @param schedule the learning rate of each epoch
         * @param epochs passes over the training set, at least 1
         */
        public Builder optimizer(Sgd optimizer, LearningRateSchedule schedule, int epochs) {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
            }
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
            this.schedule = Objects.requireNonNull(schedule, "schedule");
            this.epochs = epochs;
            return this;
        }

        /**
         * Continues a training of which {@code completedEpochs} epochs are done, as when resuming
         * from a checkpoint: the model and the optimizer must hold the state after those epochs.
         * Since batches depend only on the loader's seed and the epoch, and the learning rate only
         * on the epoch, the remaining epochs then give the numbers of an uninterrupted training.
         * The default is 0; at most the number of epochs (then nothing is trained).
         */
        public Builder startAt(int completedEpochs) {
            if (completedEpochs < 0) {
                throw new IllegalArgumentException("completed epochs must be >= 0, got " + completedEpochs);
            }
            this.firstEpoch = completedEpochs;
            return this;
        }

        /**
         * Trains with a distillation loss instead of cross-entropy.
         *
         * @param teacher a trained model with the same number of classes, run in evaluation mode
         *     on each training batch and never modified
         * @param loss the loss given the student's logits, the teacher's and the labels
         */
        public Builder distillFrom(Model teacher, DistillationLoss loss) {
            Objects.requireNonNull(teacher, "teacher");
            Objects.requireNonNull(loss, "loss");
            if (teacher == model) {
                throw new IllegalArgumentException("the teacher must be another model than the one trained");
            }
            if (teacher.classes() != model.classes()) {
                throw new IllegalArgumentException("the teacher has " + teacher.classes() + " classes, the model "
                        + model.classes());
            }
            this.teacher = teacher;
            this.distillation = loss;
            return this;
        }

        /** Adds a listener; listeners are called in the order added. */
        public Builder listener(TrainingListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** A condition checked before every step and every evaluation batch; true ends the training. */
        public Builder stopWhen(BooleanSupplier stopRequested) {
            this.stopRequested = Objects.requireNonNull(stopRequested, "stopRequested");
            return this;
        }

        /** When a finite training loss counts as diverging; {@link DivergenceRule#DEFAULT} unless set. */
        public Builder divergence(DivergenceRule divergence) {
            this.divergence = Objects.requireNonNull(divergence, "divergence");
            return this;
        }

        public TrainingLoop build() {
            return new TrainingLoop(this);
        }
    }
}
