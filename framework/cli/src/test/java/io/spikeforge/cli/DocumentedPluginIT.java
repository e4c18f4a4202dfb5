package io.spikeforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/plugins.md as a plugin author follows it: every file the guide shows is laid out where it says,
 * the project is built by Maven (this build's Maven, with this build's API and test kit) and its tests
 * must run and pass; then the jar works in the distribution with the guide's own commands.
 *
 * <p>The project is built in a {@link MavenSandbox}: a new local repository with this build's Spikeforge
 * artifacts, as {@code mvn install} would leave them, and nothing else of the user's.
 */
class DocumentedPluginIT {
    private static final Path GUIDE = Path.of("../../docs/plugins.md");
    private static final Pattern FILE_BLOCK = Pattern.compile("<!-- file: (\\S+) -->\n```\\w+\n(.*?)```", Pattern.DOTALL);
    private static final Pattern ANY_CODE_BLOCK = Pattern.compile("(?m)^```(xml|java|properties)$");
    /** What the guide's commands call the plugin folder and the user's experiment. */
    private static final String GUIDE_PLUGINS_DIR = "/my/plugins";
    private static final String GUIDE_EXPERIMENT = "my-experiment.yaml";

    @TempDir
    static Path dir;
    @TempDir
    Path workDir;

    private static DistributionRunner spikeforge;
    private static Path experiments;
    private static Path project;
    private static Map<String, String> projectFiles;
    private static Path pluginsDir;

    @BeforeAll
    static void buildTheGuidesProjectWithMaven() throws Exception {
        spikeforge = new DistributionRunner();
        experiments = Path.of(DocumentedPluginIT.class.getResource("/experiments/good.yaml").toURI()).getParent();
        String guide = Files.readString(GUIDE);
        projectFiles = files(guide);
        project = dir.resolve("project");
        for (Map.Entry<String, String> file : projectFiles.entrySet()) {
            Path target = project.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.getValue());
        }
        new MavenSandbox(dir).mvnSucceeds(project, dir.resolve("maven.log"), List.of("package"));

        Path jar = project.resolve("target").resolve(artifactId() + "-" + version() + ".jar");
        assertTrue(Files.isRegularFile(jar), "no " + jar);
        pluginsDir = Files.createDirectories(dir.resolve("my-plugins"));
        Files.copy(jar, pluginsDir.resolve(jar.getFileName()));
    }

    /** The guide's files by path; every XML, Java and properties block of the guide must be one. */
    private static Map<String, String> files(String guide) {
        Map<String, String> files = new LinkedHashMap<>();
        Matcher file = FILE_BLOCK.matcher(guide);
        while (file.find()) {
            assertNull(files.put(file.group(1), file.group(2)), "two blocks for " + file.group(1));
        }
        Matcher block = ANY_CODE_BLOCK.matcher(guide);
        int blocks = 0;
        while (block.find()) {
            blocks++;
        }
        assertEquals(blocks, files.size(), "every xml, java and properties block of the guide is a file, marked with"
                + " <!-- file: path --> on the line before it; found " + files.keySet());
        for (String expected : List.of("pom.xml", "src/main/resources/plugin.properties")) {
            assertTrue(files.containsKey(expected), "the guide has no " + expected);
        }
        return files;
    }

    private static String artifactId() {
        return pomElement("artifactId");
    }

    private static String version() {
        return pomElement("version");
    }

    /** A top-level element of the guide's POM: the first of its name after the parent, before any dependency. */
    private static String pomElement(String name) {
        String pom = projectFiles.get("pom.xml");
        Matcher m = Pattern.compile("<" + name + ">([^<]+)</" + name + ">").matcher(pom);
        assertTrue(m.find(Math.max(0, pom.indexOf("</parent>"))), "the guide's pom.xml has no " + name);
        return m.group(1);
    }

    @Test
    void theGuidesTestsRanAndPassed() throws Exception {
        List<String> testClasses = projectFiles.keySet().stream().filter(p -> p.startsWith("src/test/java/"))
                .map(p -> p.substring("src/test/java/".length(), p.length() - ".java".length()).replace('/', '.')).toList();
        assertFalse(testClasses.isEmpty(), "the guide shows no tests");
        Map<String, Integer> ran = MavenSandbox.testsRan(project, false);
        for (String testClass : testClasses) {
            assertTrue(ran.getOrDefault(testClass, 0) > 0, () -> "surefire ran no test of " + testClass + ": " + ran);
        }
        int total = ran.values().stream().mapToInt(Integer::intValue).sum();
        assertTrue(total >= 3 + 4, "the contract and packaging checks ran: " + total + " tests");
    }

    @Test
    void theGuidesCommandsListAndUseTheComponentBesideTheBundledOnes() throws Exception {
        String guide = Files.readString(GUIDE);
        int marker = guide.indexOf("<!-- checked: commands -->");
        assertTrue(marker >= 0, "the guide has no checked commands");
        int start = guide.indexOf('\n', guide.indexOf("```", marker)) + 1;
        List<String> commands = guide.substring(start, guide.indexOf("```", start)).lines()
                .map(line -> line.replaceAll("\\s+#.*$", "").strip()).filter(line -> !line.isEmpty()).toList();
        assertEquals(3, commands.size(), commands.toString());
        Files.copy(experiments.resolve("good.yaml"), workDir.resolve(GUIDE_EXPERIMENT));

        for (String command : commands) {
            Map<String, String> environment = new LinkedHashMap<>();
            List<String> words = new ArrayList<>(List.of(command.replace(GUIDE_PLUGINS_DIR, pluginsDir.toString())
                    .split("\\s+")));
            while (words.get(0).matches("[A-Z_]+=.*")) {
                String assignment = words.remove(0);
                environment.put(assignment.substring(0, assignment.indexOf('=')),
                        assignment.substring(assignment.indexOf('=') + 1));
            }
            assertEquals("./spikeforge", words.remove(0), command);
            DistributionRunner.Result r = spikeforge.run(workDir, environment, words.toArray(String[]::new));

            assertEquals(0, r.exitCode(), () -> command + "\n" + r);
            assertEquals("", r.err(), () -> command + ": no warnings\n" + r);
            if (words.contains("plugins")) {
                assertTrue(r.out().contains("  piecewise-exp  (plugin piecewise-exp-surrogate 1.0.0,"
                        + " piecewise-exp-surrogate-1.0.0.jar)"), () -> command + "\n" + r);
                assertTrue(r.out().contains("on the CPU backend."), () -> "HostInfo was injected:\n" + r);
                assertTrue(r.out().contains("  lif  (plugin lif "), () -> "the bundled plugins stay:\n" + r);
                assertTrue(r.out().contains(pluginsDir.toString()), () -> "the folder is listed:\n" + r);
            } else {
                assertTrue(r.out().contains(GUIDE_EXPERIMENT + ": valid"), () -> command + "\n" + r);
            }
        }
    }

    @Test
    void aPluginsFolderNamedLikeTheCommandIsAFolder() throws Exception {
        Path folder = Files.createDirectories(workDir.resolve("plugins"));
        try (Stream<Path> jars = Files.list(pluginsDir)) {
            for (Path jar : jars.toList()) {
                Files.copy(jar, folder.resolve(jar.getFileName()));
            }
        }
        DistributionRunner.Result r = spikeforge.run(workDir, Map.of(), "--plugins-dir", "plugins", "validate",
                experiments.resolve("good.yaml").toString(), "surrogate=piecewise-exp");

        assertEquals(ExitCodes.OK, r.exitCode(), r::toString);
    }

    @Test
    void withoutTheBundledPluginsOnlyTheGivenFolderIsRead() throws Exception {
        DistributionRunner.Result list = spikeforge.run(workDir, Map.of(), "--no-bundled-plugins", "--plugins-dir",
                pluginsDir.toString(), "plugins");
        assertEquals(ExitCodes.OK, list.exitCode(), list::toString);
        assertTrue(list.out().contains("  piecewise-exp  (plugin piecewise-exp-surrogate"), list::toString);
        assertFalse(list.out().contains("(plugin lif "), list::toString);

        DistributionRunner.Result validate = spikeforge.run(workDir, Map.of(), "--no-bundled-plugins", "--plugins-dir",
                pluginsDir.toString(), "validate", experiments.resolve("good.yaml").toString(),
                "surrogate=piecewise-exp");
        assertEquals(ExitCodes.INVALID_EXPERIMENT, validate.exitCode(), validate::toString);
        assertTrue(validate.err().contains("unknown neuron model 'lif': no plugin supplies any neuron model"
                + " (`spikeforge plugins` shows the plugin folders read and what they supply)"), validate::toString);
    }

    @Test
    void aRunTrainsWithTheGuidesSurrogate() throws Exception {
        DistributionRunner.Result r = spikeforge.run(workDir, Map.of(), "--plugins-dir", pluginsDir.toString(), "run",
                experiments.resolve("tiny-run.yaml").toString(), "surrogate.id=piecewise-exp", "surrogate.alpha=2");

        assertEquals(ExitCodes.OK, r.exitCode(), r::toString);
        Matcher folder = Pattern.compile("(?m)^run      (runs/\\S+)$").matcher(r.out());
        assertTrue(folder.find(), r::toString);
        Path runFolder = workDir.resolve(folder.group(1));
        assertEquals("finished\n", Files.readString(runFolder.resolve("status")));
        assertTrue(Pattern.compile("(?m)^surrogate:\\n  id: piecewise-exp\\n  plugin: piecewise-exp-surrogate\\n"
                + "  plugin_version: 1.0.0\\n  alpha: 2.0$")
                .matcher(Files.readString(runFolder.resolve("config.yaml"))).find(), r::toString);
    }
}
