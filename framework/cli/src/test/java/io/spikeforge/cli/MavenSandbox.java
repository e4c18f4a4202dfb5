package io.spikeforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.HostInfo;
import io.spikeforge.testkit.PluginPackagingContract;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A plugin author's Maven, for the ITs that build plugin projects: a new local repository that holds
 * only Spikeforge's artifacts of this build, laid out as {@code mvn install} of Spikeforge lays them out
 * (the parent POM, the plugin parent POM, the API, the test kit and the plugin archetype), and a
 * settings file under which every other artifact comes from the outer build's local repository, read
 * as a file-based remote repository. The builds never touch the user's local repository, and need no
 * network: everything third-party they use, the outer build has fetched already.
 */
final class MavenSandbox {
    private static final Path PARENT_POM = Path.of("../../pom.xml");
    private static final Path PLUGIN_PARENT_POM = Path.of("../plugin-parent/pom.xml");
    private static final long TIMEOUT_MINUTES = 10;

    private final Path repository;
    private final Path settings;
    private final String version;

    /** A sandbox in {@code dir}: its repository and settings file are made there. */
    MavenSandbox(Path dir) throws IOException, URISyntaxException {
        this.repository = dir.resolve("repository");
        Path apiJar = jarOf(HostInfo.class);
        this.version = mavenProperties(apiJar, "spikeforge-api").getProperty("version");
        installPom("spikeforge-parent", PARENT_POM);
        installPom("spikeforge-plugin-parent", PLUGIN_PARENT_POM);
        for (Path jar : List.of(apiJar, jarOf(PluginPackagingContract.class), archetypeJar())) {
            String artifactId = mavenProperties(jar, null).getProperty("artifactId");
            assertEquals(version, mavenProperties(jar, artifactId).getProperty("version"), jar.toString());
            install(artifactId, "jar", Files.readAllBytes(jar));
            install(artifactId, "pom", entry(jar, "META-INF/maven/io.spikeforge/" + artifactId + "/pom.xml"));
        }
        this.settings = Files.writeString(dir.resolve("settings.xml"), settings(userRepository()));
    }

    /** The version of this build's Spikeforge artifacts. */
    String version() {
        return version;
    }

    /**
     * Runs Maven in batch mode in {@code workDir} with the sandbox's settings and repository, its output
     * in {@code log}, and asserts that it succeeded.
     */
    void mvnSucceeds(Path workDir, Path log, List<String> arguments) throws IOException, InterruptedException {
        int exit = mvn(workDir, log, arguments);
        assertEquals(0, exit, () -> "mvn " + String.join(" ", arguments) + " in " + workDir + " failed:\n" + tail(log));
    }

    /** Runs Maven as {@link #mvnSucceeds} does; returns its exit code. */
    int mvn(Path workDir, Path log, List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(mavenExecutable(), "-B", "-ntp", "-s", settings.toString(),
                "-Dmaven.repo.local=" + repository));
        command.addAll(arguments);
        ProcessBuilder maven = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        maven.environment().put("OMP_NUM_THREADS", "2");
        Process process = maven.start();
        if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish in " + TIMEOUT_MINUTES + " minutes:\n" + tail(log));
        }
        return process.exitValue();
    }

    /**
     * The tests surefire ran in {@code project}, by class (a JUnit 5 nested class by its binary name), each
     * class's count of tests that ran; asserts that none failed, and that no class skipped any unless
     * {@code skipsAllowed}.
     */
    static Map<String, Integer> testsRan(Path project, boolean skipsAllowed) throws Exception {
        Path reports = project.resolve("target/surefire-reports");
        assertTrue(Files.isDirectory(reports), "surefire ran no tests in " + project + ": no " + reports);
        Map<String, Integer> ran = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(reports)) {
            files = list.filter(p -> p.getFileName().toString().matches("TEST-.*\\.xml")).toList();
        }
        for (Path report : files) {
            Element suite = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile())
                    .getDocumentElement();
            assertEquals("0", suite.getAttribute("failures"), report::toString);
            assertEquals("0", suite.getAttribute("errors"), report::toString);
            assertTrue(skipsAllowed || suite.getAttribute("skipped").equals("0"), report::toString);
            // surefire files a nested class's tests and its outer class's under one of the two: count by test case
            NodeList cases = suite.getElementsByTagName("testcase");
            for (int i = 0; i < cases.getLength(); i++) {
                Element testCase = (Element) cases.item(i);
                if (testCase.getElementsByTagName("skipped").getLength() == 0) {
                    ran.merge(testCase.getAttribute("classname"), 1, Integer::sum);
                }
            }
        }
        assertFalse(ran.isEmpty(), "surefire ran no tests in " + project);
        return ran;
    }

    /** The end of Maven's output, where it says what failed. */
    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void installPom(String artifactId, Path pom) throws IOException {
        String text = Files.readString(pom);
        assertTrue(text.contains("<artifactId>" + artifactId + "</artifactId>") && text.contains("<version>" + version
                + "</version>"), pom + " is not " + artifactId + " " + version);
        install(artifactId, "pom", text.getBytes(StandardCharsets.UTF_8));
    }

    private void install(String artifactId, String extension, byte[] content) throws IOException {
        Path folder = Files.createDirectories(repository.resolve("io/spikeforge").resolve(artifactId).resolve(version));
        Files.write(folder.resolve(artifactId + "-" + version + "." + extension), content);
    }

    private static Path jarOf(Class<?> type) throws URISyntaxException {
        return jar(type.getProtectionDomain().getCodeSource().getLocation(), type.getName());
    }

    /** The plugin archetype's jar, on the test class path (the one jar with an archetype descriptor). */
    private static Path archetypeJar() throws URISyntaxException, IOException {
        URL descriptor = MavenSandbox.class.getClassLoader().getResource("META-INF/maven/archetype-metadata.xml");
        assertTrue(descriptor != null && descriptor.getProtocol().equals("jar"), "no archetype jar on the test class"
                + " path (framework/cli depends on spikeforge-plugin-archetype in test scope): " + descriptor);
        String url = descriptor.toString();
        return jar(new URL(url.substring("jar:".length(), url.indexOf("!/"))), "the plugin archetype");
    }

    private static Path jar(URL location, String what) throws URISyntaxException {
        Path jar = Path.of(location.toURI());
        assertTrue(Files.isRegularFile(jar) && jar.toString().endsWith(".jar"), what + " comes from " + jar
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

    /** The outer build's local repository, which the sandbox's builds read as a remote one. */
    private static Path userRepository() {
        String configured = System.getProperty("spikeforge.maven.repository");
        Path repository = configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
        assertTrue(Files.isDirectory(repository), "no local Maven repository at " + repository);
        return repository;
    }

    /** Every repository, the projects' POMs' own included, is the user's local one, read as a file repository. */
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
}
