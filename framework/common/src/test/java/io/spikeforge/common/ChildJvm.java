package io.spikeforge.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test's {@code main} class in a second JVM with this one's class path, for tests that kill a
 * process, confine it (a wrapper such as {@code unshare} before the command), or race two
 * processes; such tests are tagged slow. It lives in this module's test jar, on the JDK alone, so
 * that the engine's, the tracking's and the runner's tests share it without the tracking tests
 * getting ND4J or the rest of Spikeforge on their class path.
 */
public final class ChildJvm {
    private static final Duration KILL_WAIT = Duration.ofSeconds(30);

    private ChildJvm() {
    }

    /**
     * The command line that runs {@code main} with the arguments: this JVM's {@code java}, the
     * options (such as {@code -Xmx256m}), {@code -cp} and this JVM's class path.
     */
    public static List<String> command(List<String> jvmOptions, Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return command;
    }

    /** Starts the command with its output discarded. */
    public static Process start(List<String> command) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    /**
     * Runs the command to its end and returns its standard output and error together.
     *
     * @throws AssertionError when it exits with another code than 0 (with its output), or has not
     *     ended after {@code timeout} (then it is killed)
     */
    public static String run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the child JVM did not finish in " + timeout.toSeconds() + " s: " + command);
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new AssertionError("the child JVM exited with " + process.exitValue() + ":\n" + text);
        }
        return text;
    }

    /** Its exit code once it has ended; -1 where it has not after {@code timeout}, and then it is killed. */
    public static int await(Process process, Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    /**
     * Starts the command, waits until it creates {@code marker} (where it stops, its files open)
     * and kills it there (SIGKILL), for tests of what an interrupted process leaves behind.
     *
     * @throws AssertionError when it ends without creating the marker, or has not created it
     *     after {@code timeout}
     */
    public static void killOnceCreated(List<String> command, Path marker, Duration timeout) throws Exception {
        Process process = start(command);
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!Files.exists(marker)) {
                if (!process.isAlive()) {
                    throw new AssertionError("the child JVM exited with " + process.exitValue() + " before it created "
                            + marker + ": " + command);
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the child JVM had not created " + marker + " after "
                            + timeout.toSeconds() + " s: " + command);
                }
                Thread.sleep(5);
            }
        } finally {
            process.destroyForcibly();
            process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
