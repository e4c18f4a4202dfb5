package io.spikeforge.runner.sweep;

import io.spikeforge.runner.config.LauncherConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a sweep's arms on this machine, each as its own process ({@link ArmCommand}) in the sweep's
 * working directory, one after another or {@code parallel} at a time. The machine's cores are divided
 * between the arms running at once: each gets {@code cores / parallel} threads for OpenMP, OpenBLAS,
 * MKL and the JVM ({@code -XX:ActiveProcessorCount}), so that two arms on two cores do not each start
 * two busy threads. Each arm's standard output and error go to {@code local/NNN-name.log} in the
 * sweep folder (appended to when the arm runs again).
 */
public final class LocalLauncher implements Launcher {
    /** How long {@link #stop} lets the arms write their checkpoints and status after the stop signal. */
    private static final long STOP_GRACE_SECONDS = 600;

    /** Told as arms start and end, from the launcher's threads. */
    public interface Listener {
        /** An arm's process started. */
        default void armStarted(Arm arm) {
        }

        /** An arm's process ended; {@code state} is what its run folder says now. */
        default void armEnded(Arm arm, ArmState state, int exitCode) {
        }
    }

    private final Path workingDirectory;
    private final int parallel;
    private final int threadsPerArm;
    private final Listener listener;
    private final Map<Integer, Process> running = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> exitCodes = new ConcurrentHashMap<>();
    private final AtomicBoolean stopped = new AtomicBoolean();

    /**
     * @param workingDirectory where the arms run (the sweep's, {@link Sweep#workingDirectory()})
     * @param parallel how many arms run at once
     * @param cores the cores to divide between them
     */
    public LocalLauncher(Path workingDirectory, int parallel, int cores, Listener listener) {
        if (parallel < 1 || cores < 1) {
            throw new IllegalArgumentException("parallel and cores must be at least 1, got " + parallel + " and "
                    + cores);
        }
        this.workingDirectory = Objects.requireNonNull(workingDirectory, "workingDirectory");
        this.parallel = parallel;
        this.threadsPerArm = Math.max(1, cores / parallel);
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public String name() {
        return LauncherConfig.LOCAL;
    }

    /** The threads each arm's process may use. */
    public int threadsPerArm() {
        return threadsPerArm;
    }

    /** Runs the arms, at most {@code parallel} at once, and returns when all ended or {@link #stop} was called. */
    @Override
    public void launch(SweepFolder sweep, List<Arm> arms, ArmCommand command) throws IOException, InterruptedException {
        Path logs = sweep.launcherFolder(name());
        Files.createDirectories(logs);
        ExecutorService pool = Executors.newFixedThreadPool(parallel, task -> {
            Thread thread = new Thread(task, "spikeforge-arm");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> results = arms.stream().<Future<?>>map(arm -> pool.submit(() -> {
                runArm(sweep, arm, command, logs.resolve(arm.folderName() + ".log"));
                return null;
            })).toList();
            for (Future<?> result : results) {
                try {
                    result.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void runArm(SweepFolder sweep, Arm arm, ArmCommand command, Path log)
            throws IOException, InterruptedException {
        if (stopped.get()) {
            return;
        }
        ProcessBuilder builder = new ProcessBuilder(command.forArm(sweep.root(), Integer.toString(arm.index())))
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        String threads = Integer.toString(threadsPerArm);
        for (String variable : List.of("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")) {
            env.put(variable, threads);
        }
        String javaOpts = env.getOrDefault("JAVA_OPTS", "");
        env.put("JAVA_OPTS", (javaOpts + " -XX:ActiveProcessorCount=" + threads).strip());
        Process process;
        synchronized (this) {
            if (stopped.get()) {
                return;
            }
            process = builder.start();
            running.put(arm.index(), process);
        }
        listener.armStarted(arm);
        int exit;
        try {
            exit = process.waitFor();
        } finally {
            running.remove(arm.index());
        }
        exitCodes.put(arm.index(), exit);
        listener.armEnded(arm, state(sweep, arm).orElse(ArmStates.ofRunFolder(sweep.armFolder(arm))), exit);
    }

    /**
     * Stops the sweep: no arm starts any more, and the running ones are asked to stop after their
     * current step (SIGTERM, which an arm handles like Ctrl-C: it keeps its checkpoints and says
     * {@code interrupted}); waits until they have ended.
     */
    public void stop() throws InterruptedException {
        synchronized (this) {
            stopped.set(true);
        }
        running.values().forEach(Process::destroy);
        for (Process process : running.values()) {
            process.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** Whether {@link #stop} was called. */
    public boolean isStopped() {
        return stopped.get();
    }

    /**
     * {@link ArmState#RUNNING} while the arm's process runs; {@link ArmState#FAILED} when it ended
     * and its run folder still says running (the process died without writing its status); else
     * empty.
     */
    @Override
    public Optional<ArmState> state(SweepFolder sweep, Arm arm) throws IOException {
        if (running.containsKey(arm.index())) {
            return Optional.of(ArmState.RUNNING);
        }
        if (exitCodes.containsKey(arm.index())) {
            ArmState folder = ArmStates.ofRunFolder(sweep.armFolder(arm));
            if (folder == ArmState.RUNNING || folder == ArmState.PENDING) {
                return Optional.of(ArmState.FAILED);
            }
        }
        return Optional.empty();
    }
}
