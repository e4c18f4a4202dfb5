package io.spikeforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.HostInfo;
import io.spikeforge.testkit.PluginPackagingContract;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/**
 * docs/plugins.md as a plugin author follows it: every file the guide shows is laid out where it says,
 * the project is built by Maven (this build's Maven, with this build's API and test kit) and its tests
 * must run and pass; then the jar works in the distribution with the guide's own commands.
 *
 * <p>The build never touches the user's local repository: it resolves into a temporary one that holds
 * this build's Spikeforge artifacts, and reads everything else from the user's repository as a
 * file-based remote repository (everything the guide's project needs, the bundled plugins' build has
 * fetched already).
 */
class DocumentedPluginIT {
    private static final Path GUIDE = Path.of("../../docs/plugins.md");
    private static final Path PARENT_POM = Path.of("../../pom.xml");
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
        Path repository = spikeforgeRepository(dir.resolve("repository"));
        Path settings = Files.writeString(dir.resolve("settings.xml"), settings(userRepository()));

        Path log = dir.resolve("maven.log");
        ProcessBuilder maven = new ProcessBuilder(mavenExecutable(), "-B", "-ntp", "-s", settings.toString(),
                "-Dmaven.repo.local=" + repository, "package")
                .directory(project.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        maven.environment().put("OMP_NUM_THREADS", "2");
        Process process = maven.start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("mvn package of the guide's project did not finish in 10 minutes:\n" + tail(log));
        }
        assertEquals(0, process.exitValue(), () -> "mvn package of the guide's project failed:\n" + tail(log));

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

    /**
     * A local repository holding this build's parent POM, API and test kit, laid out as
     * {@code mvn install} would lay them out.
     */
    private static Path spikeforgeRepository(Path repository) throws IOException, URISyntaxException {
        Path apiJar = jarOf(HostInfo.class);
        Path testkitJar = jarOf(PluginPackagingContract.class);
        String version = mavenProperties(apiJar, "spikeforge-api").getProperty("version");
        String parent = Files.readString(PARENT_POM);
        assertTrue(parent.contains("<artifactId>spikeforge-parent</artifactId>") && parent.contains("<version>" + version
                + "</version>"), PARENT_POM + " is not spikeforge-parent " + version);
        write(repository, "spikeforge-parent", version, "pom", parent.getBytes(StandardCharsets.UTF_8));
        for (Path jar : List.of(apiJar, testkitJar)) {
            String artifactId = mavenProperties(jar, null).getProperty("artifactId");
            assertEquals(version, mavenProperties(jar, artifactId).getProperty("version"), jar.toString());
            write(repository, artifactId, version, "jar", Files.readAllBytes(jar));
            write(repository, artifactId, version, "pom", entry(jar, "META-INF/maven/io.spikeforge/" + artifactId
                    + "/pom.xml"));
        }
        return repository;
    }

    private static Path jarOf(Class<?> type) throws URISyntaxException {
        Path jar = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isRegularFile(jar) && jar.toString().endsWith(".jar"), type.getName() + " comes from " + jar
                + ", not from a jar: run through failsafe after the package phase (mvn verify)");
        return jar;
    }

    /** The pom.properties Maven put into a Spikeforge jar ({@code artifactId} null: the only one). */
    private static Properties mavenProperties(Path jar, String artifactId) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            String name = file.stream().map(java.util.jar.JarEntry::getName)
                    .filter(n -> n.startsWith("META-INF/maven/io.spikeforge/") && n.endsWith("/pom.properties"))
                    .filter(n -> artifactId == null || n.equals("META-INF/maven/io.spikeforge/" + artifactId
                            + "/pom.properties"))
                    .findFirst().orElseThrow(() -> new AssertionError(jar + " has no Maven descriptor"));
            Properties properties = new Properties();
            try (InputStream in = file.getInputStream(file.getEntry(name))) {
                properties.load(in);
            }
            return properties;
        }
    }

    private static byte[] entry(Path jar, String name) throws IOException {
        try (JarFile file = new JarFile(jar.toFile()); InputStream in = file.getInputStream(file.getEntry(name))) {
            return in.readAllBytes();
        }
    }

    private static void write(Path repository, String artifactId, String version, String extension, byte[] content)
            throws IOException {
        Path folder = Files.createDirectories(repository.resolve("io/spikeforge").resolve(artifactId).resolve(version));
        Files.write(folder.resolve(artifactId + "-" + version + "." + extension), content);
    }

    /** The outer build's local repository, which the guide's build reads as a remote one. */
    private static Path userRepository() {
        String configured = System.getProperty("spikeforge.maven.repository");
        Path repository = configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
        assertTrue(Files.isDirectory(repository), "no local Maven repository at " + repository);
        return repository;
    }

    /** Every repository, the guide's POMs' own included, is the user's local one, read as a file repository. */
    private static String settings(Path userRepository) {
        String url = userRepository.toUri().toString();
        String repository = """
                <id>central</id><url>%s</url>
                <releases><checksumPolicy>ignore</checksumPolicy></releases>
                <snapshots><checksumPolicy>ignore</checksumPolicy></snapshots>""".formatted(url);
        return """
                <settings>
                  <mirrors><mirror><id>local-files</id><mirrorOf>*</mirrorOf><url>%s</url></mirror></mirrors>
                  <profiles><profile><id>local-files</id>
                    <repositories><repository>%s</repository></repositories>
                    <pluginRepositories><pluginRepository>%s</pluginRepository></pluginRepositories>
                  </profile></profiles>
                  <activeProfiles><activeProfile>local-files</activeProfile></activeProfiles>
                </settings>
                """.formatted(url, repository, repository);
    }

    private static String mavenExecutable() {
        String home = System.getProperty("spikeforge.maven.home");
        if (home != null && Files.isExecutable(Path.of(home, "bin", "mvn"))) {
            return Path.of(home, "bin", "mvn").toString();
        }
        return "mvn";
    }

    private static String artifactId() {
        return pomElement("artifactId");
    }

    private static String version() {
        return pomElement("version");
    }

    /** A top-level element of the guide's POM (the first of its name, which precedes any dependency). */
    private static String pomElement(String name) {
        Matcher m = Pattern.compile("<" + name + ">([^<]+)</" + name + ">").matcher(projectFiles.get("pom.xml"));
        assertTrue(m.find(), "the guide's pom.xml has no " + name);
        return m.group(1);
    }

    /** The end of Maven's output, where it says what failed. */
    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theGuidesTestsRanAndPassed() throws Exception {
        List<String> testClasses = projectFiles.keySet().stream().filter(p -> p.startsWith("src/test/java/"))
                .map(p -> p.substring("src/test/java/".length(), p.length() - ".java".length()).replace('/', '.')).toList();
        assertFalse(testClasses.isEmpty(), "the guide shows no tests");
        int total = 0;
        for (String testClass : testClasses) {
            Path report = project.resolve("target/surefire-reports/TEST-" + testClass + ".xml");
            assertTrue(Files.isRegularFile(report), () -> "surefire ran no " + testClass + ": no " + report);
            Element suite = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile())
                    .getDocumentElement();
            int tests = Integer.parseInt(suite.getAttribute("tests"));
            assertTrue(tests > 0, testClass + " ran no tests");
            assertEquals("0", suite.getAttribute("failures"), testClass);
            assertEquals("0", suite.getAttribute("errors"), testClass);
            assertEquals("0", suite.getAttribute("skipped"), testClass);
            total += tests;
        }
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
