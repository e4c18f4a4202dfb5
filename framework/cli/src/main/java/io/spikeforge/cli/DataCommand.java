package io.spikeforge.cli;

import io.spikeforge.common.IoErrors;
import io.spikeforge.engine.data.DatasetKind;
import io.spikeforge.engine.data.GenerationProgress;
import io.spikeforge.engine.data.SyntheticImageSets;
import io.spikeforge.engine.data.SyntheticMetadata;
import io.spikeforge.engine.data.SyntheticSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code spikeforge data}: data set utilities. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Data sets: list those experiments can name, generate synthetic image sets in the CIFAR"
                + " binary formats.",
        subcommands = {DataCommand.ListSets.class, DataCommand.Synth.class})
final class DataCommand extends CommandGroup {

    /** {@code spikeforge data list}: the data set registry, and whether each default folder is there. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"List the data sets an experiment can name in dataset.name: images, classes, and the"
                    + " default folder where there is one (with whether it exists here)."})
    static final class ListSets implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter output = spec.commandLine().getOut();
            output.printf("%-14s %-8s %-7s %s%n", "NAME", "IMAGES", "CLASSES", "DEFAULT dataset.path");
            for (DatasetKind kind : DatasetKind.values()) {
                String folder = kind.defaultFolder().map(path -> path + (Files.isDirectory(path) ? "" : " (absent)"))
                        .orElse("none: required");
                String classes = kind == DatasetKind.SYNTHETIC ? "10|100" : Integer.toString(kind.classes());
                output.printf("%-14s %-8s %-7s %s%n", kind.id(), kind.shape(), classes, folder);
            }
            output.println("See docs/data.md for where to get each and what its folder holds.");
            output.flush();
            return ExitCodes.OK;
        }
    }

    /** {@code spikeforge data synth}: writes a synthetic image set that experiments read like CIFAR. */
    @Command(name = "synth", mixinStandardHelpOptions = true,
            description = {"Generate a synthetic image set: 32x32 RGB images whose classes are procedural "
                    + "prototypes (shape, texture, colour) under nuisance variation, written in the CIFAR-10 "
                    + "(10 classes) or CIFAR-100 (100 classes) binary format with the same file names.",
                "The same options give byte-identical files. Point an experiment at the folder with "
                        + "dataset.name: synthetic and dataset.path: DIR."})
    static final class Synth implements Callable<Integer> {
        /** Sets below this size finish in a moment: no progress bar. */
        private static final int PROGRESS_THRESHOLD = 5_000;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--classes", defaultValue = "10", paramLabel = "10|100",
                description = "Number of classes: 10 (CIFAR-10 layout) or 100 (CIFAR-100 layout). Default: ${DEFAULT-VALUE}.")
        int classes;

        @Option(names = "--train", defaultValue = "50000", paramLabel = "N",
                description = "Training images. Default: ${DEFAULT-VALUE}.")
        int train;

        @Option(names = "--test", defaultValue = "10000", paramLabel = "M",
                description = "Test images. Default: ${DEFAULT-VALUE}.")
        int test;

        @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
                description = "Seed: the same seed gives the same files. Default: ${DEFAULT-VALUE}.")
        long seed;

        @Option(names = "--out", required = true, paramLabel = "DIR",
                description = "Folder to write: new, empty, or holding a synthetic set that Spikeforge wrote (which is "
                        + "replaced). Files Spikeforge did not write are never replaced or deleted.")
        Path out;

        @Override
        public Integer call() throws IOException {
            SyntheticSpec synthetic = specFromOptions();
            SyntheticMetadata metadata;
            long total = (long) train + test;
            // made with the first images written: a folder the generation refuses shows no progress
            ProgressBar[] bar = new ProgressBar[1];
            GenerationProgress progress = total < PROGRESS_THRESHOLD ? GenerationProgress.NONE : (done, all) -> {
                if (bar[0] == null) {
                    bar[0] = ProgressBars.create("Generating", all, " images", spec.commandLine().getErr());
                }
                bar[0].stepTo(done);
            };
            try {
                metadata = SyntheticImageSets.generate(synthetic, out, progress);
            } catch (FileAlreadyExistsException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--out: " + IoErrors.message(e)
                        + "; choose an empty or new folder");
            } finally {
                if (bar[0] != null) {
                    bar[0].close();
                }
            }
            PrintWriter output = spec.commandLine().getOut();
            output.printf("Wrote %d training and %d test images (%d classes, %s layout, seed %d) to %s%n", train, test,
                    classes, metadata.layout().displayName(), seed, out);
            output.printf("Training set channel mean %s, std %s%n", format(metadata.normalization().mean()),
                    format(metadata.normalization().std()));
            output.printf("Use it with: dataset.name=synthetic dataset.path=%s%n", out);
            output.flush();
            return ExitCodes.OK;
        }

        private SyntheticSpec specFromOptions() {
            if (classes != 10 && classes != 100) {
                throw usage("--classes must be 10 or 100, not " + classes);
            }
            if (train < 1 || train > SyntheticSpec.MAX_IMAGES_PER_SPLIT) {
                throw usage("--train must be between 1 and " + SyntheticSpec.MAX_IMAGES_PER_SPLIT + ", not " + train);
            }
            if (test < 0 || test > SyntheticSpec.MAX_IMAGES_PER_SPLIT) {
                throw usage("--test must be between 0 and " + SyntheticSpec.MAX_IMAGES_PER_SPLIT + ", not " + test);
            }
            return new SyntheticSpec(classes, train, test, seed);
        }

        private CommandLine.ParameterException usage(String message) {
            return new CommandLine.ParameterException(spec.commandLine(), message);
        }

        private static String format(double[] values) {
            return Arrays.stream(values).mapToObj(v -> String.format(Locale.ROOT, "%.4f", v))
                    .collect(Collectors.joining(" ", "(", ")"));
        }
    }
}
