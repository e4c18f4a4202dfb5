package io.spikeforge.runner.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which folders {@link PluginHostOptions#resolve} reads plugins from, and when it is strict. */
class PluginHostOptionsTest {
    private static final String ENV = PluginHostOptions.PLUGINS_ENVIRONMENT_VARIABLE;
    private static final String STRICT = PluginHostOptions.STRICT_ENVIRONMENT_VARIABLE;

    @TempDir
    Path dir;
    private Path explicit;
    private Path otherExplicit;
    private Path fromEnvironment;
    private Path otherFromEnvironment;
    private Path home;
    private Path sourceTree;
    private Path insideSourceTree;
    private Path outside;

    @BeforeEach
    void layOutFolders() throws IOException {
        explicit = Files.createDirectories(dir.resolve("explicit"));
        otherExplicit = Files.createDirectories(dir.resolve("explicit-2"));
        fromEnvironment = Files.createDirectories(dir.resolve("from-env"));
        otherFromEnvironment = Files.createDirectories(dir.resolve("from-env-2"));
        home = dir.resolve("home");
        Files.createDirectories(home.resolve("plugins"));
        sourceTree = dir.resolve("source");
        Files.createDirectories(sourceTree.resolve("framework").resolve("api"));
        insideSourceTree = Files.createDirectories(sourceTree.resolve("plugins").resolve("lif").resolve("src"));
        outside = Files.createDirectories(dir.resolve("elsewhere"));
    }

    @Test
    void extraFoldersAddToTheBundledPluginsOfTheDistribution() {
        PluginHostOptions options = PluginHostOptions.resolve(List.of(explicit, otherExplicit), true,
                Map.of(ENV, fromEnvironment + File.pathSeparator + otherFromEnvironment), home.toString(),
                insideSourceTree).build();

        assertEquals(List.of(home.resolve("plugins"), fromEnvironment, otherFromEnvironment, explicit, otherExplicit),
                directories(options));
        assertTrue(options.folders().stream().allMatch(f -> f.mode() == PluginHostOptions.Mode.DEPLOYMENT));
        assertEquals(List.of("bundled, spikeforge.home=" + home, ENV, ENV, "--plugins-dir", "--plugins-dir"),
                options.folders().stream().map(PluginHostOptions.Folder::origin).toList());
    }

    @Test
    void extraFoldersAddToTheBundledModulesOfASourceTree() {
        PluginHostOptions options = PluginHostOptions.resolve(List.of(explicit), true, Map.of(), null, insideSourceTree)
                .build();

        assertEquals(List.of(sourceTree.resolve("plugins"), explicit), directories(options));
        assertEquals(List.of(PluginHostOptions.Mode.DEVELOPMENT, PluginHostOptions.Mode.DEPLOYMENT),
                options.folders().stream().map(PluginHostOptions.Folder::mode).toList());
    }

    @Test
    void withoutTheBundledPluginsOnlyTheGivenFoldersAreRead() {
        PluginHostOptions options = PluginHostOptions.resolve(List.of(explicit), false, Map.of(ENV, fromEnvironment.toString()),
                home.toString(), insideSourceTree).build();

        assertEquals(List.of(fromEnvironment, explicit), directories(options));
    }

    @Test
    void withoutTheBundledPluginsSomeFolderMustBeGiven() {
        PluginLocationException failure = assertThrows(PluginLocationException.class,
                () -> PluginHostOptions.resolve(List.of(), false, Map.of(ENV, " "), home.toString(), insideSourceTree));

        assertTrue(failure.getMessage().contains("--plugins-dir") && failure.getMessage().contains(ENV),
                failure.getMessage());
    }

    @Test
    void whereNothingIsBundledTheGivenFoldersAreReadAlone() {
        assertEquals(List.of(explicit), directories(PluginHostOptions.resolve(List.of(explicit), true, Map.of(), null,
                outside).build()));
    }

    @Test
    void relativeFoldersAreResolvedAgainstTheWorkingDirectory() {
        PluginHostOptions options = PluginHostOptions.resolve(List.of(Path.of("../explicit")), true,
                Map.of(ENV, "../from-env"), "../home", outside).build();

        assertEquals(List.of(home.resolve("plugins"), fromEnvironment, explicit), directories(options));
    }

    @Test
    void aFolderNamedTwiceIsReadOnceWhereItFirstAppears() {
        PluginHostOptions options = PluginHostOptions.resolve(List.of(home.resolve("plugins"), explicit,
                        dir.resolve("explicit-2/../explicit")), true, Map.of(ENV, explicit.toString()), home.toString(), outside)
                .build();

        assertEquals(List.of(home.resolve("plugins"), explicit), directories(options));
        assertEquals(List.of("bundled, spikeforge.home=" + home, ENV),
                options.folders().stream().map(PluginHostOptions.Folder::origin).toList());
    }

    @Test
    void blankEntriesOfTheEnvironmentVariableAreIgnored() {
        PluginHostOptions options = PluginHostOptions.resolve(List.of(), true,
                Map.of(ENV, " " + File.pathSeparator + fromEnvironment + File.pathSeparator), home.toString(), outside).build();

        assertEquals(List.of(home.resolve("plugins"), fromEnvironment), directories(options));
    }

    @Test
    void withNothingToGoOnTheErrorSaysHowToPointAtPlugins() {
        PluginLocationException failure = assertThrows(PluginLocationException.class,
                () -> PluginHostOptions.resolve(List.of(), true, Map.of(), null, outside));

        assertTrue(failure.getMessage().contains("--plugins-dir") && failure.getMessage().contains(ENV),
                failure.getMessage());
    }

    @Test
    void aMissingFolderIsAnErrorNamingItAndItsOrigin() throws IOException {
        Path missing = dir.resolve("missing");
        assertLocationError(PluginHostOptions.resolve(List.of(missing), true, Map.of(), home.toString(), outside),
                missing + " does not exist", "--plugins-dir");

        assertLocationError(PluginHostOptions.resolve(List.of(), true, Map.of(ENV, missing.toString()), home.toString(),
                outside), missing + " does not exist", ENV);

        Path emptyHome = Files.createDirectories(dir.resolve("empty-home"));
        assertLocationError(PluginHostOptions.resolve(List.of(explicit), true, Map.of(), emptyHome.toString(),
                insideSourceTree), emptyHome.resolve("plugins") + " does not exist", PluginHostOptions.HOME_PROPERTY);
    }

    @Test
    void aFileIsNotAPluginsFolder() throws IOException {
        Path file = Files.writeString(dir.resolve("plugins.txt"), "");

        assertLocationError(PluginHostOptions.deployment(file), file + " is not a folder", "explicit folder");
    }

    @Test
    void strictCheckingIsOffUnlessTheEnvironmentOrTheCallerTurnsItOn() {
        assertFalse(resolveWithStrict(null).build().strict());
        assertFalse(resolveWithStrict("false").build().strict());
        assertFalse(resolveWithStrict("0").build().strict());
        assertTrue(resolveWithStrict("true").build().strict());
        assertTrue(resolveWithStrict(" YES ").build().strict());
        assertTrue(resolveWithStrict("1").build().strict());
        assertTrue(resolveWithStrict("false").optStrict(true).build().strict());
        assertTrue(resolveWithStrict("true").optStrict(false).build().strict(), "the caller cannot turn it off");
        assertFalse(PluginHostOptions.deployment(explicit).build().strict());

        PluginSetupException failure = assertThrows(PluginSetupException.class, () -> resolveWithStrict("maybe"));
        assertEquals(STRICT + "=maybe: expected true or false", failure.getMessage());
    }

    private PluginHostOptions.Builder resolveWithStrict(String value) {
        Map<String, String> environment = value == null ? Map.of() : Map.of(STRICT, value);
        return PluginHostOptions.resolve(List.of(), true, environment, home.toString(), outside);
    }

    @Test
    void pluginRequirementsAreCheckedAgainstThisBuildsVersionUnlessOverridden() {
        String version = SpikeforgeVersion.current();
        assertTrue(version.matches("\\d+\\.\\d+\\.\\d+(-[\\w.]+)?"), version);
        assertNotEquals(SpikeforgeVersion.UNKNOWN, version, "Maven filtered the version into the resources");

        assertEquals(version, PluginHostOptions.deployment(explicit).build().spikeforgeVersion());
        assertEquals("2.5.0", PluginHostOptions.deployment(explicit).optSpikeforgeVersion("2.5.0").build()
                .spikeforgeVersion());
    }

    private static List<Path> directories(PluginHostOptions options) {
        return options.folders().stream().map(PluginHostOptions.Folder::directory).toList();
    }

    private static void assertLocationError(PluginHostOptions.Builder builder, String... fragments) {
        PluginLocationException failure = assertThrows(PluginLocationException.class, builder::build);
        for (String fragment : fragments) {
            assertTrue(failure.getMessage().contains(fragment), () -> failure.getMessage() + " lacks " + fragment);
        }
    }
}
