package io.spikeforge.runner.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts a test's {@code main} class in a second JVM with this one's class path, for tests that kill it or confine it. */
final class ChildRun {
    private ChildRun() {
    }

    /** The command line that runs {@code main} with the arguments; {@code prefix} goes before it (a wrapper such as unshare). */
    static List<String> command(List<String> prefix, Class<?> main, String... args) {
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return command;
    }

    /** Runs the command to its end and returns its standard output and error, which must end with exit code 0. */
    static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the child JVM did not finish: " + command);
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new AssertionError("the child JVM exited with " + process.exitValue() + ":\n" + text);
        }
        return text;
    }
}
