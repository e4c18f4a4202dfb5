package io.spikeforge.cli;

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
            description = "Time inference passes: forward in evaluation mode.")
    static final class Infer extends BenchRun {
        @Override
        boolean training() {
            return false;
        }
    }
}
