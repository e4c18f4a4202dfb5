package io.spikeforge.runner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input that would exhaust the stack or the heap (recursive aliases, alias bombs, deep nesting,
 * endless files) stops with an ordinary problem located in the file, like any other mistake.
 */
class HostileYamlTest {
    private static final int ONE_MIB = 1 << 20;
    private static final String VALID_START = "experiment: {name: hostile}\ndataset: {name: synthetic, path: data}\n";

    private final ExperimentLoader loader = new ExperimentLoader(TestComponents.registry());

    @TempDir
    Path dir;

    private List<ConfigError> problems(Path file, String... overrides) {
        ConfigException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(ConfigException.class, () -> loader.load(file, List.of(overrides))));
        return e.errors();
    }

    private Path file(String text) throws IOException {
        return Files.writeString(dir.resolve("hostile.yaml"), text);
    }

    @Test
    void anAliasInsideItsOwnBlockIsReportedAtTheAlias() throws IOException {
        Path file = file(VALID_START + "training: &t {epochs: 3, x: *t}\n");

        List<ConfigError> problems = problems(file);

        ConfigError recursion = new ConfigError(new ConfigLocation.InFile(file, 3, 26), "training.x", "the alias refers"
                + " to the block anchored as &t at line 3, column 11, which contains this alias: a recursive structure"
                + " is not a value");
        assertTrue(problems.contains(recursion), problems.toString());
    }

    @Test
    void aRecursiveAliasInAListOrAnOverrideIsReportedToo() throws IOException {
        Path file = file(VALID_START + "student:\n  model: &m\n    widths: [*m]\n");
        List<ConfigError> inList = problems(file);
        assertTrue(inList.stream().anyMatch(p -> p.keyPath().equals("student.model.widths[0]")
                && p.location().equals(new ConfigLocation.InFile(file, 5, 13))
                && p.message().contains("recursive structure")), inList.toString());

        List<ConfigError> inOverride = problems(file(VALID_START), "training=&t {x: *t}");
        assertTrue(inOverride.stream().anyMatch(p -> p.keyPath().equals("training.x")
                && p.location().equals(new ConfigLocation.InOverride("training=&t {x: *t}", 1))
                && p.message().contains("recursive structure")), inOverride.toString());
    }

    @Test
    void anAliasBombStopsAtTheFirstAliasBeyondTheLimitWithItsLine() throws IOException {
        StringBuilder text = new StringBuilder(VALID_START).append("lol: &a [lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (char level = 'b'; level <= 'i'; level++) {
            String previous = "*" + (char) (level - 1);
            text.append("lol").append(level).append(": &").append(level).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(8, previous))).append("]\n");
        }
        Path file = file(text.toString());

        List<ConfigError> problems = problems(file);

        assertEquals(1, problems.size(), problems.toString());
        // lolb holds aliases 1 to 8; the third alias of lolc (line 5, column 19) is the eleventh
        assertEquals(new ConfigLocation.InFile(file, 5, 19), problems.get(0).location());
        assertEquals("more than 10 aliases refer to mappings or lists; write the blocks out instead",
                problems.get(0).message());
    }

    @Test
    void nestingTenThousandDeepStopsAtTheLimitWithItsPlace() throws IOException {
        Path flow = file(VALID_START + "training: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n");
        List<ConfigError> flowProblems = problems(flow);
        assertEquals(1, flowProblems.size(), flowProblems.toString());
        assertEquals("mappings and lists nest more than 50 levels deep", flowProblems.get(0).message());
        // the 51st opening bracket, at column 61, is the first one too many
        assertEquals(new ConfigLocation.InFile(flow, 3, 11 + 50), flowProblems.get(0).location());

        Path mappings = file(VALID_START + "training: " + "{a: ".repeat(10_000) + "1" + "}".repeat(10_000) + "\n");
        List<ConfigError> mappingProblems = problems(mappings);
        assertEquals(1, mappingProblems.size(), mappingProblems.toString());
        assertEquals("mappings and lists nest more than 50 levels deep", mappingProblems.get(0).message());
        // the key inside the 50th mapping is the first node one level too deep
        assertEquals(new ConfigLocation.InFile(mappings, 3, 11 + 49 * 4 + 1), mappingProblems.get(0).location());
    }

    @Test
    void aFileBeyondTheSizeLimitIsNotReadToTheEnd() throws IOException {
        String comment = "# " + "x".repeat(97) + "\n";
        Path file = file(VALID_START + comment.repeat(ONE_MIB / comment.length() + 10));

        List<ConfigError> problems = problems(file);

        assertEquals(1, problems.size(), problems.toString());
        assertEquals("the file goes on beyond 1 MiB, where reading stopped; an experiment file is a few kilobytes of"
                + " YAML (is this the right file?)", problems.get(0).message());
        ConfigLocation.InFile where = (ConfigLocation.InFile) problems.get(0).location();
        assertEquals(file, where.file());
        assertEquals(2 + (ONE_MIB - VALID_START.length()) / comment.length() + 1, where.line());
    }

    @Test
    void anEndlessDeviceIsNotReadToTheEnd() {
        Path zero = Path.of("/dev/zero");
        assumeTrue(Files.isReadable(zero), "needs /dev/zero");

        List<ConfigError> problems = problems(zero);

        assertEquals(1, problems.size(), problems.toString());
        assertEquals(new ConfigLocation.InFile(zero, 1, ONE_MIB + 1), problems.get(0).location());
        assertEquals(zero + ":1:1048577: the file goes on beyond 1 MiB, where reading stopped; an experiment file is a"
                + " few kilobytes of YAML (is this the right file?)", problems.get(0).toString());
    }
}
