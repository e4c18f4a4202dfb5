package io.spikeforge.runner.pipeline;

import io.spikeforge.engine.data.Augmentation;
import io.spikeforge.engine.data.DataLoader;
import io.spikeforge.engine.data.Dataset;
import io.spikeforge.engine.data.DatasetFormatException;
import io.spikeforge.engine.data.DatasetKind;
import io.spikeforge.engine.data.Datasets;
import io.spikeforge.engine.data.GenerationProgress;
import io.spikeforge.engine.data.LoaderOptions;
import io.spikeforge.engine.data.Normalization;
import io.spikeforge.engine.data.SyntheticImageSets;
import io.spikeforge.engine.data.SyntheticSpec;
import io.spikeforge.runner.config.DatasetConfig;
import io.spikeforge.runner.config.DatasetName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code dataset} section turned into images and loaders. */
final class DataPreparation {
    /** Classes of a synthetic set the pipeline generates. */
    static final int SYNTHETIC_CLASSES = 10;
    /** Training images of a synthetic set the pipeline generates. */
    static final int SYNTHETIC_TRAIN = 5000;
    /** Test images of a synthetic set the pipeline generates. */
    static final int SYNTHETIC_TEST = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(DataPreparation.class);

    private final Dataset dataset;
    private final Augmentation augmentation;
    private final Normalization normalization;

    private DataPreparation(DatasetConfig config, Dataset dataset) {
        this.dataset = dataset;
        this.augmentation = new Augmentation(config.augment().randomCropPadding(), config.augment().horizontalFlip());
        this.normalization = config.normalize() ? dataset.normalization() : Normalization.unitRange();
    }

    /**
     * Loads the data set; a synthetic set whose folder does not exist is generated first
     * ({@value #SYNTHETIC_CLASSES} classes, {@value #SYNTHETIC_TRAIN} training and
     * {@value #SYNTHETIC_TEST} test images, from {@code syntheticSeed}).
     *
     * @throws RunSetupException naming {@code dataset.path} and the folder when it cannot be read
     */
    static DataPreparation load(DatasetConfig config, long syntheticSeed, GenerationProgress progress)
            throws RunSetupException {
        DatasetKind kind = kind(config.name());
        Path folder = config.path();
        if (kind == DatasetKind.SYNTHETIC && !Files.exists(folder)) {
            generate(folder, syntheticSeed, progress);
        }
        try {
            return new DataPreparation(config, Datasets.load(kind, folder, config.trainLimit(), config.testLimit()));
        } catch (DatasetFormatException e) {
            throw new RunSetupException("dataset.path: " + e.getMessage() + (kind == DatasetKind.SYNTHETIC ? ""
                    : ". To try Spikeforge without it, `spikeforge data synth --out " + folder
                            + "` makes a synthetic set (then set dataset.name=synthetic)"), e);
        } catch (IOException e) {
            throw new RunSetupException("dataset.path: cannot read " + folder + ": " + e, e);
        }
    }

    private static void generate(Path folder, long seed, GenerationProgress progress) throws RunSetupException {
        SyntheticSpec spec = new SyntheticSpec(SYNTHETIC_CLASSES, SYNTHETIC_TRAIN, SYNTHETIC_TEST, seed);
        LOG.info("dataset.path {} does not exist: generating a synthetic set there ({} classes, {} training and {}"
                + " test images, seed {})", folder, SYNTHETIC_CLASSES, SYNTHETIC_TRAIN, SYNTHETIC_TEST, seed);
        try {
            SyntheticImageSets.generate(spec, folder, progress);
        } catch (IOException e) {
            throw new RunSetupException("dataset.path: cannot generate a synthetic set in " + folder + ": " + e, e);
        }
    }

    private static DatasetKind kind(DatasetName name) {
        return switch (name) {
            case CIFAR10 -> DatasetKind.CIFAR10;
            case CIFAR100 -> DatasetKind.CIFAR100;
            case SYNTHETIC -> DatasetKind.SYNTHETIC;
        };
    }

    Dataset dataset() {
        return dataset;
    }

    /** Shuffled, augmented batches of the training images. */
    DataLoader training(int batchSize, long seed) {
        return new DataLoader(dataset.train(), LoaderOptions.training(batchSize, seed, augmentation, normalization));
    }

    /** The test images in order, not augmented. */
    DataLoader evaluation(int batchSize) {
        return new DataLoader(dataset.test(), LoaderOptions.evaluation(batchSize, normalization));
    }
}
