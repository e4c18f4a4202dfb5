package io.spikeforge.runner.pipeline;

import io.spikeforge.common.IoErrors;
import io.spikeforge.engine.data.Augmentation;
import io.spikeforge.engine.data.DataLoader;
import io.spikeforge.engine.data.Dataset;
import io.spikeforge.engine.data.DatasetFormatException;
import io.spikeforge.engine.data.DatasetKind;
import io.spikeforge.engine.data.Datasets;
import io.spikeforge.engine.data.ForeignFilesException;
import io.spikeforge.engine.data.GenerationProgress;
import io.spikeforge.engine.data.LoaderOptions;
import io.spikeforge.engine.data.Normalization;
import io.spikeforge.engine.data.SyntheticImageSets;
import io.spikeforge.engine.data.SyntheticMetadata;
import io.spikeforge.engine.data.SyntheticSpec;
import io.spikeforge.runner.config.DatasetConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code dataset} section turned into images and loaders. */
final class DataPreparation {
    /** Classes of a synthetic set the pipeline generates: those its registry entry gives. */
    static final int SYNTHETIC_CLASSES = DatasetKind.SYNTHETIC.classes();
    /** Training images of a synthetic set the pipeline generates. */
    static final int SYNTHETIC_TRAIN = 5000;
    /** Test images of a synthetic set the pipeline generates. */
    static final int SYNTHETIC_TEST = 1000;

    private static final String TRY_SYNTHETIC = ". To try Spikeforge without it, set dataset.name=synthetic and"
            + " dataset.path to a new folder: the run generates a synthetic set there";

    private static final Logger LOG = LoggerFactory.getLogger(DataPreparation.class);

    private final Dataset dataset;
    private final Augmentation augmentation;
    private final Normalization normalization;

    private DataPreparation(DatasetConfig config, Dataset dataset) {
        this.dataset = dataset;
        this.augmentation = new Augmentation(config.augment().randomCropPadding(), config.augment().horizontalFlip());
        this.normalization = config.normalize() ? dataset.normalization()
                : Normalization.unitRange(dataset.shape().channels());
    }

    /**
     * Loads the data set. A synthetic set is generated first where {@code dataset.path} holds none
     * ({@link #SYNTHETIC_CLASSES} classes, {@value #SYNTHETIC_TRAIN} training and
     * {@value #SYNTHETIC_TEST} test images, from {@code syntheticSeed}): a folder that does not
     * exist, is empty, or holds what an interrupted generation left (which is removed first).
     * The generation never touches a file that Spikeforge did not write.
     *
     * @throws RunSetupException naming {@code dataset.path} and the folder when it cannot be read
     */
    static DataPreparation load(DatasetConfig config, long syntheticSeed, GenerationProgress progress)
            throws RunSetupException {
        DatasetKind kind = config.name();
        Path folder = config.path();
        SyntheticSpec synthetic = syntheticSpec(syntheticSeed);
        if (kind == DatasetKind.SYNTHETIC && (!Files.exists(folder) || Files.isDirectory(folder))
                && !Files.isRegularFile(folder.resolve(SyntheticMetadata.FILE_NAME))) {
            generate(folder, synthetic, progress);
        }
        try {
            return new DataPreparation(config, Datasets.load(kind, folder, config.trainLimit(), config.testLimit()));
        } catch (DatasetFormatException e) {
            String hint = "";
            if (kind == DatasetKind.SYNTHETIC) {
                hint = ". This experiment's synthetic set: " + settings(synthetic);
            } else if (!Files.exists(folder)) {
                hint = TRY_SYNTHETIC;
            }
            throw new RunSetupException("dataset.path: " + e.getMessage() + hint, e);
        } catch (IOException e) {
            throw new RunSetupException("dataset.path: cannot read " + folder + ": " + IoErrors.message(e), e);
        }
    }

    /** The synthetic set a run generates. */
    static SyntheticSpec syntheticSpec(long seed) {
        return new SyntheticSpec(SYNTHETIC_CLASSES, SYNTHETIC_TRAIN, SYNTHETIC_TEST, seed);
    }

    /** A synthetic set's settings, with the command that writes it elsewhere. */
    private static String settings(SyntheticSpec spec) {
        return description(spec) + "; `" + spec.command("<folder>") + "` writes the same";
    }

    private static String description(SyntheticSpec spec) {
        return spec.classCount() + " classes, " + spec.trainCount() + " training and " + spec.testCount()
                + " test images, seed " + spec.seed();
    }

    private static void generate(Path folder, SyntheticSpec spec, GenerationProgress progress)
            throws RunSetupException {
        String what = description(spec);
        if (SyntheticImageSets.hasUnfinishedGeneration(folder)) {
            LOG.info("dataset.path {}: the generation of its synthetic set was interrupted; removing what it wrote"
                    + " and generating the set again ({})", folder, what);
        } else {
            LOG.info("dataset.path {} holds no data set: generating a synthetic set there ({})", folder, what);
        }
        try {
            SyntheticImageSets.generate(spec, folder, progress);
        } catch (ForeignFilesException e) {
            String advice = e.realDataAdvice();
            throw new RunSetupException("dataset.path: " + e.getMessage() + ". " + advice + (advice.isEmpty() ? "To"
                    + " run on synthetic data, set" : "set") + " dataset.path to a new folder: the run generates this"
                    + " experiment's synthetic set there (" + settings(spec) + ")", e);
        } catch (IOException e) {
            throw new RunSetupException("dataset.path: cannot generate a synthetic set in " + folder + ": "
                    + IoErrors.message(e), e);
        }
    }

    Dataset dataset() {
        return dataset;
    }

    /** Shuffled, augmented batches of the training images. */
    DataLoader training(int batchSize, long seed) {
        return new DataLoader(dataset.train(), LoaderOptions.training(batchSize, seed, augmentation, normalization));
    }

    /** The training images in order, not augmented: what a conversion calibrates its thresholds on. */
    DataLoader calibration(int batchSize) {
        return new DataLoader(dataset.train(), LoaderOptions.evaluation(batchSize, normalization));
    }

    /** The test images in order, not augmented. */
    DataLoader evaluation(int batchSize) {
        return new DataLoader(dataset.test(), LoaderOptions.evaluation(batchSize, normalization));
    }
}
