package io.spikeforge.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs the assembled distribution's {@code bin/spikeforge} in a child process, as a user would. */
final class DistributionRunner {
    private static final long DEFAULT_TIMEOUT_SECONDS = 120;

    private final Path home;

    DistributionRunner() {
        this(built());
    }

    /** Runs the distribution in {@code home}: the built one, or a copy of it that a test changed. */
    DistributionRunner(Path home) {
        this.home = home;
        if (!Files.isExecutable(home.resolve("bin/spikeforge"))) {
            throw new IllegalStateException("no distribution at " + home + ": the package phase must run first");
        }
    }

    private static Path built() {
        String dist = System.getProperty("spikeforge.distribution");
        if (dist == null) {
            throw new IllegalStateException("system property spikeforge.distribution is not set: run through failsafe (mvn verify)");
        }
        return Path.of(dist);
    }

    Path home() {
        return home;
    }

    /** The bundled plugin jar {@code plugins/spikeforge-plugin-<name>-<version>.jar}. */
    Path bundledPlugin(String name) throws IOException {
        try (Stream<Path> jars = Files.list(home.resolve("plugins"))) {
            return jars.filter(p -> p.getFileName().toString().startsWith("spikeforge-plugin-" + name + "-")).findFirst()
                    .orElseThrow(() -> new AssertionError("no bundled plugin " + name + " in " + home.resolve("plugins")));
        }
    }

    /** The result of one command. */
    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Starts a command in the background, its output discarded (for tests that kill it). */
    Process start(Path workDir, String... args) throws IOException {
        return builder(workDir, Map.of(), args).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private ProcessBuilder builder(Path workDir, Map<String, String> env, String... args) {
        return builder(home.resolve("bin/spikeforge"), workDir, env, args);
    }

    private static ProcessBuilder builder(Path executable, Path workDir, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        pb.environment().putAll(env);
        return pb;
    }

    Result run(Path workDir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        return run(builder(workDir, env, args), DEFAULT_TIMEOUT_SECONDS, args);
    }

    /** Runs a command that may take longer than most, such as a sweep of several runs. */
    Result runFor(long timeoutSeconds, Path workDir, String... args) throws IOException, InterruptedException {
        return runFor(timeoutSeconds, workDir, Map.of(), args);
    }

    /** {@link #runFor(long, Path, String...)} with these environment variables added. */
    Result runFor(long timeoutSeconds, Path workDir, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        return run(builder(workDir, env, args), timeoutSeconds, args);
    }

    /** Runs another launcher of the distribution, such as a link to {@code bin/spikeforge}. */
    static Result runLauncher(Path executable, Path workDir, String... args) throws IOException, InterruptedException {
        return run(builder(executable, workDir, Map.of(), args), DEFAULT_TIMEOUT_SECONDS, args);
    }

    private static Result run(ProcessBuilder pb, long timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("spikeforge-out", ".txt");
        Path err = Files.createTempFile("spikeforge-err", ".txt");
        try {
            Process process = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("spikeforge " + String.join(" ", args) + " did not finish in " + timeoutSeconds
                        + " s");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
