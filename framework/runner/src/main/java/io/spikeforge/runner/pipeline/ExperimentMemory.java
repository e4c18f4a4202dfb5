package io.spikeforge.runner.pipeline;

import io.spikeforge.engine.data.Dataset;
import io.spikeforge.engine.data.DatasetKind;
import io.spikeforge.engine.data.ImageShape;
import io.spikeforge.engine.data.LoaderOptions;
import io.spikeforge.engine.model.ModelBuilder;
import io.spikeforge.engine.tensor.MemoryBudget;
import io.spikeforge.engine.tensor.MemoryEstimate;
import io.spikeforge.runner.config.DistillExperiment;
import io.spikeforge.runner.config.Experiment;
import io.spikeforge.runner.config.ModelConfig;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memory an experiment's run takes, estimated from its settings before anything is allocated
 * ({@link ModelBuilder#estimateMemory}, whatever the model family): each model of the experiment's
 * kind ({@link Kind#memory}; for {@code distill} the teacher, trained at
 * {@code teacher.training.batch_size} or only evaluated when loaded and run forward at the student's
 * batch size when it distills, and the student, trained at {@code training.batch_size}); every
 * smaller last batch of the training and test sets, which gets buffers of its own; and the loader's
 * prepared batches. A kind's models live through the whole run, so their estimates add up.
 */
public final class ExperimentMemory {
    private static final Logger LOG = LoggerFactory.getLogger(ExperimentMemory.class);
    /** Batches a loader holds: those it prepares ahead, the one being assembled and the one in use. */
    private static final int LOADER_BATCHES = LoaderOptions.DEFAULT_PREFETCH + 2;

    /**
     * One model's share.
     *
     * @param name the model, such as {@code teacher}, or {@code data loader}
     * @param keys the keys that size it, with their values
     * @param estimate its memory
     */
    record Part(String name, String keys, MemoryEstimate estimate) {
    }

    private final List<Part> parts;

    private ExperimentMemory(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    /**
     * The estimate for a loaded data set.
     *
     * @param input the shape of its images
     * @param classes the data set's classes
     * @param trainImages its training images (after {@code dataset.train_limit})
     * @param testImages its test images (after {@code dataset.test_limit})
     * @throws IllegalArgumentException for model settings that no model can have
     */
    static ExperimentMemory of(Experiment experiment, ImageShape input, int classes, OptionalInt trainImages,
                               OptionalInt testImages) {
        return new ExperimentMemory(parts(Kind.of(experiment.kind()), experiment, input, classes, trainImages,
                testImages));
    }

    private static <E extends Experiment> List<Part> parts(Kind<E> kind, Experiment experiment, ImageShape input,
                                                           int classes, OptionalInt trainImages,
                                                           OptionalInt testImages) {
        return kind.memory(kind.type().cast(experiment), input, classes, trainImages, testImages);
    }

    /**
     * The data loader's part: {@link #LOADER_BATCHES} batches of the largest batch size in flight.
     *
     * @param keys the batch size keys, for the message
     */
    static Part loader(ImageShape input, OptionalInt trainImages, OptionalInt testImages, String keys,
                       int largestBatch) {
        int loaderBatch = trainImages.isPresent() && testImages.isPresent()
                ? Math.min(largestBatch, Math.max(trainImages.getAsInt(), testImages.getAsInt())) : largestBatch;
        return new Part("data loader", keys, new MemoryEstimate(0, 0, 0, 0, 0,
                LOADER_BATCHES * (double) input.imageBytes() * Float.BYTES * loaderBatch));
    }

    /**
     * Checks, before the models are built, that the experiment fits in what this process may still
     * take with the data set as loaded; logs the estimate.
     *
     * @throws ExperimentTooLargeException when it does not fit
     * @throws RunSetupException naming the model section when no model can have its settings
     */
    static void require(Experiment experiment, Dataset dataset) throws RunSetupException {
        require(experiment, dataset.shape(), dataset.classCount(), OptionalInt.of(dataset.train().size()),
                OptionalInt.of(dataset.test().size()));
    }

    /**
     * {@link #require(Experiment, Dataset)} before the data set is loaded, with what
     * {@link #expected} assumes: absurd sizes are refused before a synthetic set is generated.
     */
    static void requireExpected(Experiment experiment) throws RunSetupException {
        DatasetKind kind = experiment.dataset().name();
        require(experiment, kind.shape(), kind.classes(), OptionalInt.empty(), OptionalInt.empty());
    }

    private static void require(Experiment experiment, ImageShape input, int classes, OptionalInt trainImages,
                                OptionalInt testImages) throws RunSetupException {
        ExperimentMemory memory;
        try {
            memory = of(experiment, input, classes, trainImages, testImages);
        } catch (IllegalArgumentException e) {
            throw new RunSetupException(experiment instanceof DistillExperiment ? "teacher.model or student.model: "
                    + e.getMessage() : "model: " + e.getMessage(), e);
        }
        MemoryBudget budget = MemoryBudget.current();
        LOG.info("memory: the run needs about {}; this process may still take {}", memory.total(), budget);
        memory.require(budget);
    }

    /**
     * The estimate from the experiment alone, as {@code validate} makes it: the data set's image
     * shape and classes from its registry entry ({@link DatasetKind}), and no smaller last batches
     * (their sizes come from the data set, which {@code run} checks again once loaded).
     */
    public static ExperimentMemory expected(Experiment experiment) {
        DatasetKind kind = experiment.dataset().name();
        return of(experiment, kind.shape(), kind.classes(), OptionalInt.empty(), OptionalInt.empty());
    }

    /** All parts together. */
    public MemoryEstimate total() {
        return parts.stream().map(Part::estimate).reduce(MemoryEstimate.NONE, MemoryEstimate::plus);
    }

    /** One line per part: {@code teacher (keys): estimate}. */
    List<Part> parts() {
        return parts;
    }

    /**
     * Checks the estimate against what the process may still take.
     *
     * @throws ExperimentTooLargeException naming each model's share and keys, and the limit
     */
    public void require(MemoryBudget budget) throws ExperimentTooLargeException {
        MemoryEstimate total = total();
        if (budget.fits(total)) {
            return;
        }
        String newline = System.lineSeparator();
        StringBuilder message = new StringBuilder("the experiment needs about ")
                .append(MemoryEstimate.format(total.totalBytes())).append(" of memory, more than this process may"
                        + " still take: ").append(budget).append(':');
        for (Part part : parts) {
            message.append(newline).append("  ").append(part.name()).append(" (").append(part.keys()).append("): ")
                    .append(part.estimate());
        }
        Part largest = parts.stream().max(Comparator.comparingDouble(p -> p.estimate().totalBytes())).orElseThrow();
        message.append(newline).append("make the ").append(largest.name()).append(" smaller (").append(largest.keys())
                .append("), or run on a machine with more memory");
        throw new ExperimentTooLargeException(message.toString());
    }

    /** The keys that size a model: {@code teacher.model.widths [..], ..., teacher.training.batch_size 64}. */
    static String keys(String section, ModelConfig model, String batch) {
        String shape = model.architecture().resnet()
                ? section + ".widths " + model.widths() + ", " + section + ".blocks_per_stage " + model.blocksPerStage()
                : section + ".depth " + model.depth();
        return shape + model.spiking().map(s -> ", " + section + ".timesteps " + s.timesteps()).orElse("") + ", "
                + batch;
    }

    /** A batch size and, when the image count is known and the size does not divide it, the last batch's. */
    static Set<Integer> batches(int batchSize, OptionalInt images) {
        Set<Integer> sizes = new LinkedHashSet<>();
        if (images.isPresent() && images.getAsInt() == 0) {
            return sizes;
        }
        sizes.add(images.isPresent() ? Math.min(batchSize, images.getAsInt()) : batchSize);
        if (images.isPresent() && images.getAsInt() > batchSize && images.getAsInt() % batchSize != 0) {
            sizes.add(images.getAsInt() % batchSize);
        }
        return sizes;
    }
}
