package io.spikeforge.runner.pipeline;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.spikeforge.common.ChildJvm;
import io.spikeforge.engine.data.GenerationProgress;
import io.spikeforge.engine.data.SyntheticImageSets;
import io.spikeforge.engine.data.SyntheticSpec;
import io.spikeforge.testkit.SlowTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that starts on a full disk, for real: its outputs folder is a 1 MiB tmpfs, mounted in a
 * private mount namespace ({@code unshare -m} as root, {@code unshare -rm} otherwise) around a
 * second JVM, and filled up. The run must say which file it could not write and why, and leave
 * no half-made run folder behind (one that {@code --resume} would refuse). Where the machine
 * allows no such mount, the test is skipped.
 */
@SlowTest
class FullDiskTest {
    private static final String MOUNT = "mount -t tmpfs -o size=1m tmpfs \"$0\" && exec \"$@\"";

    @TempDir
    static Path shared;

    private static Path data;
    private static List<String> namespace;

    @TempDir
    Path dir;

    @BeforeAll
    static void prepare() throws Exception {
        namespace = mountNamespace(shared.resolve("probe"));
        if (namespace == null) {
            return;
        }
        data = shared.resolve("synthetic");
        SyntheticImageSets.generate(new SyntheticSpec(DataPreparation.SYNTHETIC_CLASSES, DataPreparation.SYNTHETIC_TRAIN,
                DataPreparation.SYNTHETIC_TEST, Seeds.of(3).syntheticData()), data, GenerationProgress.NONE);
    }

    /** Each test is reported as skipped where no mount can be made (an assumption in BeforeAll hides them). */
    @BeforeEach
    void needsAMountNamespace() {
        assumeTrue(namespace != null, "no private mount namespace can be made here (unshare -m or -rm)");
    }

    @Test
    void aFullDiskAtTheFirstFileLeavesNoRunFolder() throws Exception {
        String output = runOnFullDisk("0");

        assertTrue(output.contains("message: outputs.dir: cannot create a run folder in " + dir.resolve("runs") + ": "
                + dir.resolve("runs").resolve("tiny-")), output);
        assertTrue(output.contains("/config.yaml: No space left on device (the new folder "), output);
        assertTrue(output.contains("was removed)"), output);
        assertTrue(output.contains("run folders: []"), output);
    }

    /** The state the issue found: config, metrics header and lock written, the status not. */
    @Test
    void aFullDiskAtTheStatusFileLeavesNoRunFolder() throws Exception {
        String output = runOnFullDisk("config+2");

        assertTrue(output.contains("/status: No space left on device (the new folder "), output);
        assertTrue(output.contains("was removed)"), output);
        assertTrue(output.contains("run folders: []"), output);
    }

    private String runOnFullDisk(String freePages) throws Exception {
        List<String> command = new ArrayList<>(namespace(dir));
        command.addAll(ChildJvm.command(List.of("-Xmx512m"), FullDiskRunProcess.class, dir.toString(),
                data.toString(), freePages));
        return ChildJvm.run(command, Duration.ofMinutes(5));
    }

    /** The prefix that runs a command with a 1 MiB tmpfs on {@code folder}, or null where none can be made. */
    private static List<String> mountNamespace(Path folder) throws IOException, InterruptedException {
        Files.createDirectories(folder);
        for (String flags : List.of("-m", "-rm")) {
            List<String> prefix = List.of("unshare", flags, "--", "sh", "-c", MOUNT, folder.toString());
            try {
                Process probe = new ProcessBuilder(concat(prefix, "true")).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                    return List.of("unshare", flags, "--", "sh", "-c", MOUNT);
                }
                probe.destroyForcibly();
            } catch (IOException noUnshare) {
                return null;
            }
        }
        return null;
    }

    private List<String> namespace(Path folder) {
        return concat(namespace, folder.toString());
    }

    private static List<String> concat(List<String> list, String last) {
        List<String> all = new ArrayList<>(list);
        all.add(last);
        return all;
    }
}
