package io.spikeforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin archetype as docs/plugins.md tells a plugin author to use it: the guide's
 * {@code mvn archetype:generate} command, once for every kind, in a {@link MavenSandbox} (a new local
 * repository with this build's Spikeforge artifacts as {@code mvn install} leaves them, nothing else of
 * the user's); each generated project's tests must run and pass in {@code mvn package}; then the jars,
 * dropped into a plugins folder, supply components to a training run and a conversion of the
 * distribution.
 */
class PluginArchetypeIT {
    private static final Path GUIDE = Path.of("../../docs/plugins.md");
    /** The kinds, and the test class of each with the least number of tests its contract runs. */
    private static final Map<String, Integer> KINDS = kinds();
    /** What the guide's command names the kind, the project and its package. */
    private static final String GUIDE_KIND = "surrogate";
    private static final String GUIDE_ARTIFACT_ID = "my-surrogate";

    @TempDir
    static Path dir;
    @TempDir
    Path workDir;

    private static MavenSandbox maven;
    private static List<String> generate;
    private static Path generated;
    private static Path pluginsDir;
    private static Path experiments;
    private static DistributionRunner spikeforge;

    private static Map<String, Integer> kinds() {
        Map<String, Integer> kinds = new LinkedHashMap<>();
        kinds.put("surrogate", 10);
        kinds.put("neuron", 18);
        kinds.put("initializer", 7);
        kinds.put("distillation", 10);
        kinds.put("threshold", 7);
        kinds.put("activation", 10);
        return kinds;
    }

    @BeforeAll
    static void generateAndBuildAPluginOfEveryKind() throws Exception {
        spikeforge = new DistributionRunner();
        experiments = Path.of(PluginArchetypeIT.class.getResource("/experiments/tiny-run.yaml").toURI()).getParent();
        maven = new MavenSandbox(Files.createDirectories(dir.resolve("sandbox")));
        generate = guidesGenerateCommand();
        generated = Files.createDirectories(dir.resolve("generated"));
        for (String kind : KINDS.keySet()) {
            maven.mvnSucceeds(generated, dir.resolve("generate-" + kind + ".log"), generateArguments(kind, "my-" + kind));
        }
        // one Maven run builds all six: an aggregator saves five Maven start-ups
        Files.writeString(generated.resolve("pom.xml"), """
                <project>
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>org.example</groupId>
                  <artifactId>all-kinds</artifactId>
                  <version>1</version>
                  <packaging>pom</packaging>
                  <modules>%s</modules>
                </project>
                """.formatted(KINDS.keySet().stream().map(k -> "<module>my-" + k + "</module>")
                .collect(Collectors.joining())));
        maven.mvnSucceeds(generated, dir.resolve("package.log"), List.of("package"));

        pluginsDir = Files.createDirectories(dir.resolve("my-plugins"));
        for (String kind : KINDS.keySet()) {
            Path jar = generated.resolve("my-" + kind + "/target/my-" + kind + "-1.0.0-SNAPSHOT.jar");
            assertTrue(Files.isRegularFile(jar), "no " + jar);
            Files.copy(jar, pluginsDir.resolve(jar.getFileName()));
        }
    }

    /**
     * The words after {@code mvn} of the guide's archetype:generate command. The guide calls the plugin by
     * its prefix, {@code archetype:generate}, which Maven resolves through the plugin-group metadata of a
     * remote repository; the sandbox's remote is a local repository, which keeps that metadata under
     * another name, so the test names the plugin by its coordinates (the version the build pins).
     */
    private static List<String> guidesGenerateCommand() throws Exception {
        String guide = Files.readString(GUIDE);
        int marker = guide.indexOf("<!-- checked: archetype -->");
        assertTrue(marker >= 0, "the guide has no checked archetype command");
        int start = guide.indexOf('\n', guide.indexOf("```", marker)) + 1;
        String command = guide.substring(start, guide.indexOf("```", start)).lines()
                .filter(line -> line.startsWith("mvn ")).findFirst()
                .orElseThrow(() -> new AssertionError("no mvn command after <!-- checked: archetype -->"));
        List<String> words = new ArrayList<>(List.of(command.replaceAll("\\s+#.*$", "").strip().split("\\s+")));
        assertEquals("mvn", words.remove(0), command);
        int goal = words.indexOf("archetype:generate");
        assertTrue(goal >= 0, command);
        String pluginVersion = System.getProperty("spikeforge.archetype-plugin.version");
        assertTrue(pluginVersion != null, "system property spikeforge.archetype-plugin.version is not set: run through"
                + " failsafe (mvn verify)");
        words.set(goal, "org.apache.maven.plugins:maven-archetype-plugin:" + pluginVersion + ":generate");
        for (String expected : List.of("-DarchetypeGroupId=io.spikeforge",
                "-DarchetypeArtifactId=spikeforge-plugin-archetype", "-DarchetypeVersion=" + maven.version(),
                "-DartifactId=" + GUIDE_ARTIFACT_ID, "-Dkind=" + GUIDE_KIND)) {
            assertTrue(words.contains(expected), () -> "the guide's command has no " + expected + ": " + command);
        }
        return words;
    }

    /** The guide's command for another kind and artifactId. */
    private static List<String> generateArguments(String kind, String artifactId) {
        return generate.stream().map(word -> word.equals("-Dkind=" + GUIDE_KIND) ? "-Dkind=" + kind
                : word.equals("-DartifactId=" + GUIDE_ARTIFACT_ID) ? "-DartifactId=" + artifactId : word).toList();
    }

    @Test
    void everyGeneratedProjectIsOneClassItsDescriptorAndOneTestClass() throws Exception {
        for (String kind : KINDS.keySet()) {
            Path project = generated.resolve("my-" + kind);
            List<String> files;
            try (Stream<Path> walk = Files.walk(project.resolve("src"))) {
                files = walk.filter(Files::isRegularFile).map(p -> project.relativize(p).toString()).sorted().toList();
            }
            assertEquals(3, files.size(), kind + ": " + files);
            assertTrue(files.stream().anyMatch(f -> f.matches("src/main/java/org/example/\\w+\\.java")), kind + ": " + files);
            assertTrue(files.stream().anyMatch(f -> f.matches("src/test/java/org/example/\\w+Test\\.java")), kind + ": " + files);
            assertTrue(files.contains("src/main/resources/plugin.properties"), kind + ": " + files);
            String pom = Files.readString(project.resolve("pom.xml"));
            assertTrue(pom.contains("<artifactId>spikeforge-plugin-parent</artifactId>\n    <version>" + maven.version()
                    + "</version>"), kind + " inherits the plugin parent of this build:\n" + pom);
        }
    }

    @Test
    void everyKindsContractAndPackagingTestsRanAndPassed() throws Exception {
        for (Map.Entry<String, Integer> kind : KINDS.entrySet()) {
            Path project = generated.resolve("my-" + kind.getKey());
            // the neuron contract skips its comparison with a scalar reference, which the example supplies none of
            Map<String, Integer> ran = MavenSandbox.testsRan(project, kind.getKey().equals("neuron"));
            String testClass;
            try (Stream<Path> tests = Files.list(project.resolve("src/test/java/org/example"))) {
                testClass = "org.example." + tests.findFirst().orElseThrow().getFileName().toString().replace(".java", "");
            }
            assertTrue(ran.getOrDefault(testClass, 0) >= kind.getValue(), () -> kind + ": the contract ran " + ran);
            assertTrue(ran.getOrDefault(testClass + "$Packaging", 0) >= 4, () -> kind + ": the packaging contract ran " + ran);
        }
    }

    @Test
    void spikeforgeListsEveryGeneratedComponent() throws Exception {
        DistributionRunner.Result r = spikeforge.run(workDir, Map.of(), "--strict-plugins", "--plugins-dir",
                pluginsDir.toString(), "plugins");

        assertEquals(ExitCodes.OK, r.exitCode(), r::toString);
        for (String kind : KINDS.keySet()) {
            assertTrue(r.out().contains("  my-" + kind + "  (plugin my-" + kind + " 1.0.0-SNAPSHOT, my-" + kind
                    + "-1.0.0-SNAPSHOT.jar)"), () -> kind + "\n" + r);
        }
    }

    @Test
    void aTrainingRunUsesTheGeneratedNeuronSurrogateInitializationAndLoss() throws Exception {
        Path runFolder = run("tiny-run.yaml", "neuron.id=my-neuron", "surrogate.id=my-surrogate",
                "initialization.id=my-initializer", "distillation.id=my-distillation");

        String config = Files.readString(runFolder.resolve("config.yaml"));
        for (String slot : List.of("neuron:\n  id: my-neuron\n  plugin: my-neuron\n  plugin_version: 1.0.0-SNAPSHOT",
                "surrogate:\n  id: my-surrogate\n  plugin: my-surrogate\n  plugin_version: 1.0.0-SNAPSHOT",
                "initialization:\n  id: my-initializer\n  plugin: my-initializer\n",
                "distillation:\n  id: my-distillation\n  plugin: my-distillation\n")) {
            assertTrue(config.contains(slot), () -> slot + "\n" + config);
        }
    }

    @Test
    void aConversionUsesTheGeneratedActivationAndThresholdStrategy() throws Exception {
        Path runFolder = run("tiny-convert.yaml", "model.activation.id=my-activation",
                "conversion.thresholds.id=my-threshold");

        String config = Files.readString(runFolder.resolve("config.yaml"));
        for (String component : List.of("id: my-activation\n    plugin: my-activation\n",
                "id: my-threshold\n    plugin: my-threshold\n")) {
            assertTrue(config.contains(component), () -> component + "\n" + config);
        }
    }

    /** Runs an experiment with the generated plugins; the run folder, its status checked. */
    private Path run(String experiment, String... overrides) throws Exception {
        List<String> args = new ArrayList<>(List.of("--strict-plugins", "--plugins-dir", pluginsDir.toString(), "run",
                experiments.resolve(experiment).toString()));
        args.addAll(List.of(overrides));
        DistributionRunner.Result r = spikeforge.run(workDir, Map.of(), args.toArray(String[]::new));

        assertEquals(ExitCodes.OK, r.exitCode(), r::toString);
        Matcher folder = Pattern.compile("(?m)^run      (runs/\\S+)$").matcher(r.out());
        assertTrue(folder.find(), r::toString);
        Path runFolder = workDir.resolve(folder.group(1));
        assertEquals("finished\n", Files.readString(runFolder.resolve("status")), r::toString);
        return runFolder;
    }

    @Test
    void anUnknownKindFailsNamingTheKindsAndLeavesNothingBehind() throws Exception {
        // a parent POM in the folder: archetype:generate adds the new project to its modules
        String parent = """
                <project>
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>org.example</groupId>
                  <artifactId>parent</artifactId>
                  <version>1</version>
                  <packaging>pom</packaging>
                  <modules>
                    <module>existing</module>
                  </modules>
                </project>
                """;
        Files.writeString(workDir.resolve("pom.xml"), parent);
        Files.writeString(Files.createDirectories(workDir.resolve("existing")).resolve("pom.xml"),
                parent.replace("<artifactId>parent</artifactId>", "<artifactId>existing</artifactId>")
                        .replaceAll("(?s)<modules>.*</modules>", ""));
        Path log = workDir.resolve("generate.log");

        int exit = maven.mvn(workDir, log, generateArguments("synapse", "my-synapse"));

        assertNotEquals(0, exit, () -> MavenSandbox.tail(log));
        assertTrue(Files.readString(log).contains("unknown kind 'synapse': -Dkind= must be one of " + String.join(", ",
                KINDS.keySet())), () -> MavenSandbox.tail(log));
        assertFalse(Files.exists(workDir.resolve("my-synapse")), "the half-generated project is removed");
        String parentAfter = Files.readString(workDir.resolve("pom.xml"));
        assertTrue(parentAfter.contains("<module>existing</module>") && !parentAfter.contains("my-synapse"),
                () -> "the parent POM lists its modules as before:\n" + parentAfter);
    }
}
