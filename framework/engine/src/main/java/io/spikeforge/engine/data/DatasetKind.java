package io.spikeforge.engine.data;

import io.spikeforge.api.config.YamlChoice;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The registry of data sets: the one place that says what each is. An entry knows the word that
 * names it, its file format and shape, its classes, where its normalization statistics come from,
 * its default folder where there is one, and what its folder must hold. Adding a data set is
 * adding an entry here (and a reader in {@link Datasets} for a new format); docs/data.md walks
 * through it. Experiments name an entry by its word ({@code dataset.name}).
 */
public enum DatasetKind implements YamlChoice {
    /** The real CIFAR-10, binary version ({@code cifar-10-batches-bin}). */
    CIFAR10("cifar10", "CIFAR-10", Format.CIFAR_BINARY, ImageShape.RGB_32, 10, Normalization.CIFAR10, null, true,
            "the CIFAR-10 binary version (data_batch_1.bin .. data_batch_5.bin, test_batch.bin), the folder"
                    + " cifar-10-batches-bin extracted from cifar-10-binary.tar.gz"),
    /** The real CIFAR-100, binary version ({@code cifar-100-binary}). */
    CIFAR100("cifar100", "CIFAR-100", Format.CIFAR_BINARY, ImageShape.RGB_32, 100, Normalization.CIFAR100, null,
            true, "the CIFAR-100 binary version (train.bin, test.bin), the folder cifar-100-binary extracted from"
                    + " cifar-100-binary.tar.gz"),
    /**
     * A set written by {@link SyntheticImageSets}, in the CIFAR-10 or CIFAR-100 layout as its
     * metadata says (the pipeline generates 10 classes); its statistics are in its metadata.
     */
    SYNTHETIC("synthetic", "synthetic", Format.SYNTHETIC, ImageShape.RGB_32, 10, null, null, true,
            "a synthetic set, which `spikeforge run` generates where dataset.path holds none and"
                    + " `spikeforge data synth --out <new folder>` makes"),
    /** MNIST's handwritten digits in IDX format; digits are not mirror-symmetric. */
    MNIST("mnist", "MNIST", Format.IDX, ImageShape.GREY_28, 10, Normalization.MNIST, null, false,
            idxFiles("MNIST")),
    /**
     * Zalando's Fashion-MNIST in IDX format; Debian's {@code dataset-fashion-mnist} package installs
     * it in its default folder.
     */
    FASHION_MNIST("fashion-mnist", "Fashion-MNIST", Format.IDX, ImageShape.GREY_28, 10, Normalization.FASHION_MNIST,
            Path.of("/usr/share/datasets/fashion-mnist"), true,
            idxFiles("Fashion-MNIST") + "; on Debian and Ubuntu `apt-get install dataset-fashion-mnist` puts them in"
                    + " /usr/share/datasets/fashion-mnist"),
    /** Kuzushiji-MNIST's cursive Japanese characters in IDX format; not mirror-symmetric either. */
    KMNIST("kmnist", "Kuzushiji-MNIST", Format.IDX, ImageShape.GREY_28, 10, Normalization.KMNIST, null, false,
            idxFiles("Kuzushiji-MNIST"));

    /** How a data set's files are laid out, and so which reader reads them. */
    public enum Format {
        /** {@link CifarLayout}'s records, read by {@link CifarReader}. */
        CIFAR_BINARY,
        /** IDX images and labels files, gzipped or not, read by {@link IdxReader}. */
        IDX,
        /** A {@link SyntheticImageSets} folder: CIFAR records described by {@link SyntheticMetadata}. */
        SYNTHETIC
    }

    private final String id;
    private final String displayName;
    private final Format format;
    private final ImageShape shape;
    private final int classes;
    private final Normalization published;
    private final Path defaultFolder;
    private final boolean mirrorInvariant;
    private final String expectation;

    DatasetKind(String id, String displayName, Format format, ImageShape shape, int classes, Normalization published,
                Path defaultFolder, boolean mirrorInvariant, String expectation) {
        this.id = id;
        this.displayName = displayName;
        this.format = format;
        this.shape = shape;
        this.classes = classes;
        this.published = published;
        this.defaultFolder = defaultFolder;
        this.mirrorInvariant = mirrorInvariant;
        this.expectation = expectation;
    }

    private static String idxFiles(String name) {
        return "the four " + name + " IDX files train-images-idx3-ubyte, train-labels-idx1-ubyte,"
                + " t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, each gzipped (.gz) or not";
    }

    /** The word that names it in experiment files and on the command line, such as {@code fashion-mnist}. */
    public String id() {
        return id;
    }

    @Override
    public String yamlName() {
        return id;
    }

    /** Its usual name, such as {@code Fashion-MNIST}. */
    public String displayName() {
        return displayName;
    }

    /** How its files are laid out. */
    public Format format() {
        return format;
    }

    /** The shape of its images: what a model's input must be. */
    public ImageShape shape() {
        return shape;
    }

    /** Its classes; for a synthetic set, those of the set the pipeline generates (its metadata says). */
    public int classes() {
        return classes;
    }

    /**
     * The published per-channel statistics of its training set, which normalize it; empty for a
     * synthetic set, whose statistics its metadata holds.
     */
    public Optional<Normalization> publishedStatistics() {
        return Optional.ofNullable(published);
    }

    /** Where it is read from when {@code dataset.path} is not given; empty where there is no usual place. */
    public Optional<Path> defaultFolder() {
        return Optional.ofNullable(defaultFolder);
    }

    /**
     * Whether a left-right mirror image shows the same class: true for photos and clothes, false
     * for digits and characters, which a horizontal flip turns into something else.
     */
    public boolean mirrorInvariant() {
        return mirrorInvariant;
    }

    /** The CIFAR layout of a real CIFAR set; empty for the others. */
    public Optional<CifarLayout> cifarLayout() {
        return switch (this) {
            case CIFAR10 -> Optional.of(CifarLayout.CIFAR10);
            case CIFAR100 -> Optional.of(CifarLayout.CIFAR100);
            default -> Optional.empty();
        };
    }

    /** What a folder of this data set must hold and where to get it, ending with a pointer to docs/data.md. */
    public String expectation() {
        return "expected " + expectation + "; see docs/data.md";
    }

    @Override
    public String toString() {
        return id;
    }
}
