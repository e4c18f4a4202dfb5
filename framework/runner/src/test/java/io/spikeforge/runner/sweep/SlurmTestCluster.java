package io.spikeforge.runner.sweep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real SLURM cluster for a test class ({@code @ExtendWith(SlurmTestCluster.class)}): the one that
 * answers {@code sinfo}, or else the single-node cluster of {@code tools/slurm/single-node-cluster.sh},
 * started for the tests and stopped after the last of them when SLURM is installed here. Without
 * SLURM the tests are skipped, unless the environment sets {@value #REQUIRE}{@code =1} (CI does):
 * then a missing cluster fails them.
 */
public final class SlurmTestCluster implements BeforeAllCallback {
    /** The environment variable that turns a missing cluster from a skip into a failure. */
    public static final String REQUIRE = "SPIKEFORGE_REQUIRE_SLURM";
    private static final String SCRIPT = "tools/slurm/single-node-cluster.sh";

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.create(getClass()));
        // once per test run: the first class starts the cluster, the end of the run stops it
        String problem = store.getOrComputeIfAbsent("cluster", key -> ensureCluster(), Cluster.class).problem();
        if (problem != null) {
            if ("1".equals(System.getenv(REQUIRE))) {
                throw new AssertionError(REQUIRE + "=1 but there is no SLURM cluster to test against: " + problem);
            }
            Assumptions.abort("no SLURM cluster: " + problem);
        }
    }

    /**
     * Cancels every job the sweep's SLURM launcher submitted, so that a test that failed half-way
     * leaves nothing running on the cluster.
     */
    public static void cancelJobsOf(SweepFolder sweep) throws IOException, InterruptedException {
        Path submissions = sweep.launcherFolder(SlurmLauncher.NAME).resolve(SlurmSubmissions.FILE);
        if (Files.exists(submissions)) {
            for (SlurmSubmissions.Submission submission : new SlurmSubmissions(submissions).read()) {
                SlurmCommands.run(List.of("scancel", submission.job()));
            }
        }
    }

    /** The cluster's standing for this test run; closed (stopped) by JUnit at its end if it was started here. */
    private record Cluster(String problem, Path startedWith) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() throws Exception {
            if (startedWith != null) {
                String output = run(List.of(startedWith.toString(), "stop"));
                if (output != null) {
                    System.err.println("SlurmTestCluster: stopping the cluster failed: " + output);
                }
            }
        }
    }

    private static Cluster ensureCluster() {
        try {
            if (answers()) {
                return new Cluster(null, null);
            }
            if (!Files.isExecutable(Path.of("/usr/sbin/slurmctld")) || !onPath("sbatch")) {
                return new Cluster("SLURM is not installed (apt-get install slurm-wlm munge)", null);
            }
            Path script = findScript();
            if (script == null) {
                return new Cluster("SLURM is installed but not running, and " + SCRIPT + " was not found above "
                        + Path.of("").toAbsolutePath(), null);
            }
            String failure = run(List.of(script.toString(), "start"));
            if (failure != null) {
                return new Cluster(script + " start failed: " + failure, null);
            }
            return answers() ? new Cluster(null, script) : new Cluster(script + " started, but sinfo does not answer",
                    script);
        } catch (IOException e) {
            return new Cluster(e.toString(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Cluster("interrupted", null);
        }
    }

    private static boolean answers() throws IOException, InterruptedException {
        return onPath("sinfo") && run(List.of("sinfo", "--noheader")) == null;
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String folder : path.split(java.io.File.pathSeparator)) {
            if (!folder.isEmpty() && Files.isExecutable(Path.of(folder, program))) {
                return true;
            }
        }
        return false;
    }

    private static Path findScript() {
        for (Path folder = Path.of("").toAbsolutePath(); folder != null; folder = folder.getParent()) {
            if (Files.isExecutable(folder.resolve(SCRIPT))) {
                return folder.resolve(SCRIPT);
            }
        }
        return null;
    }

    /** Runs the command; null when it exited with 0 in time, else what it said. */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return String.join(" ", command) + " did not end in 60 s";
        }
        return process.exitValue() == 0 ? null
                : "exit " + process.exitValue() + ": " + new String(output, StandardCharsets.UTF_8).strip();
    }
}
