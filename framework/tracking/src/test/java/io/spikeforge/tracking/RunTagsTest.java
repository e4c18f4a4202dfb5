package io.spikeforge.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tags that say where and how a run ran. */
class RunTagsTest {
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path dir;

    @Test
    void experimentFileInARepository() throws IOException {
        Files.createDirectories(dir.resolve(".git/refs/heads"));
        Files.writeString(dir.resolve(".git/HEAD"), "ref: refs/heads/main\n");
        Files.writeString(dir.resolve(".git/refs/heads/main"), COMMIT + "\n");
        Path file = Files.createDirectories(dir.resolve("experiments")).resolve("cifar10.yaml");

        Map<String, String> tags = RunTags.context(Optional.of(file), "0.1.0", "CPU");

        assertEquals(file.toAbsolutePath().normalize().toString(), tags.get(RunTags.SOURCE_NAME));
        assertEquals("LOCAL", tags.get(RunTags.SOURCE_TYPE));
        assertEquals(COMMIT, tags.get(RunTags.GIT_COMMIT));
        assertEquals("main", tags.get(RunTags.GIT_BRANCH));
        assertEquals("0.1.0", tags.get(RunTags.SPIKEFORGE_VERSION));
        assertEquals("CPU", tags.get(RunTags.ND4J_BACKEND));
        assertEquals(Runtime.version().toString(), tags.get(RunTags.JAVA_VERSION));
        assertFalse(tags.get(RunTags.HOST).isBlank());
        tags.forEach(MlflowNames::checkTag);
    }

    @Test
    void noExperimentFile() {
        Map<String, String> tags = RunTags.context(Optional.empty(), "0.1.0", "CPU");

        assertEquals("spikeforge", tags.get(RunTags.SOURCE_NAME));
        assertTrue(!tags.containsKey(RunTags.GIT_COMMIT) && !tags.containsKey(RunTags.GIT_BRANCH));
    }
}
