package io.spikeforge.runner.sweep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs SLURM's client commands ({@code sbatch}, {@code squeue}, {@code scontrol}, {@code sacct}) as
 * processes with a time limit; a command that cannot start, does not answer in time or exits with
 * an error is reported with the command line and what it wrote on its standard error.
 */
final class SlurmCommands {
    /** A controller that does not answer in this time is treated as unreachable. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** What a command printed and how it exited. */
    record Result(List<String> command, int exitCode, String out, String err) {
        boolean succeeded() {
            return exitCode == 0;
        }

        /** The command line, its exit status and its standard error, for an error message. */
        String describeFailure() {
            String said = err.isBlank() ? out.strip() : err.strip();
            return "'" + String.join(" ", command) + "' exited with status " + exitCode
                    + (said.isEmpty() ? " and said nothing" : ": " + said);
        }
    }

    private SlurmCommands() {
    }

    /**
     * Runs {@code command} to its end.
     *
     * @throws IOException when the program is not on the PATH, or has not ended after {@link #TIMEOUT}
     *     (then it is killed)
     */
    static Result run(List<String> command) throws IOException, InterruptedException {
        Path err = Files.createTempFile("spikeforge-slurm-", ".err");
        Path out = Files.createTempFile("spikeforge-slurm-", ".out");
        try {
            Process process;
            try {
                process = new ProcessBuilder(new ArrayList<>(command)).redirectOutput(out.toFile())
                        .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .start();
            } catch (IOException e) {
                throw new IOException("cannot run '" + command.get(0) + "' (" + e.getMessage() + "): SLURM's client "
                        + "commands must be on the PATH; run this on a machine of the cluster (its login node)", e);
            }
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("'" + String.join(" ", command) + "' did not answer in " + TIMEOUT.toSeconds()
                        + " s: is the SLURM controller reachable?");
            }
            return new Result(List.copyOf(command), process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(err);
            Files.deleteIfExists(out);
        }
    }

    /** Like {@link #run}, for a command that must succeed; the error otherwise says what it said. */
    static String output(List<String> command) throws IOException, InterruptedException {
        Result result = run(command);
        if (!result.succeeded()) {
            throw new IOException(result.describeFailure());
        }
        return result.out();
    }
}
