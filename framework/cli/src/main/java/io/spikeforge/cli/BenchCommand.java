package io.spikeforge.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code spikeforge bench}: measured step times and memory of the engine. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time full training steps or inference passes of a model on random data after a warm-up, "
                + "and report median and min step time, images per second, the share of time in convolution "
                + "kernels and the peak resident memory. The last line is machine-readable: "
                + "median_step_ms=<x> peak_rss_mb=<y>. --sweep-timesteps and --sweep-batch time several points"
                + " and print one table instead.",
        subcommands = {BenchCommand.Train.class, BenchCommand.Infer.class})
final class BenchCommand {
    private BenchCommand() {
    }

    /** {@code spikeforge bench train}. */
    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Time full training steps: forward, cross-entropy, backward and an SGD update.")
    static final class Train extends BenchRun {
        @Override
        boolean training() {
            return true;
        }
    }

    /** {@code spikeforge bench infer}. */
    @Command(name = "infer", mixinStandardHelpOptions = true,
            description = "Time inference passes: forward in evaluation mode. A spiking model steps through time:"
                    + " each pass runs the T time-steps one after the other on [B, ...] tensors (the encoding"
                    + " stem once, the neurons' state carried, the time mean as a running sum), so memory does"
                    + " not grow with T; --all-steps runs all T*B rows at once instead.")
    static final class Infer extends BenchRun {
        @CommandLine.Option(names = "--all-steps", description = "Spiking model: run the evaluation forward on all"
                + " T*B rows at once (the training forward's layout) instead of stepping through time.")
        boolean allSteps;

        @CommandLine.Option(names = "--rows-per-part", paramLabel = "N", description = "Spiking model stepping through"
                + " time: step a batch of more than N rows in parts of at most N rows, each through all T steps,"
                + " so that the neurons' state and the step's tensors are those of N rows: less memory, more and"
                + " smaller operations (default: the whole batch at once).")
        Integer rowsPerPart;

        @Override
        boolean training() {
            return false;
        }

        @Override
        boolean allSteps() {
            return allSteps;
        }

        @Override
        Integer rowsPerPart() {
            return rowsPerPart;
        }
    }
}
