package io.spikeforge.runner.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where {@link PluginHostOptions#resolve} looks for plugins, and in which order. */
class PluginHostOptionsTest {
    private static final String ENV = PluginHostOptions.PLUGINS_ENVIRONMENT_VARIABLE;

    @TempDir
    Path dir;
    private Path explicit;
    private Path fromEnvironment;
    private Path home;
    private Path sourceTree;
    private Path insideSourceTree;
    private Path outside;

    @BeforeEach
    void layOutFolders() throws IOException {
        explicit = Files.createDirectories(dir.resolve("explicit"));
        fromEnvironment = Files.createDirectories(dir.resolve("from-env"));
        home = dir.resolve("home");
        Files.createDirectories(home.resolve("plugins"));
        sourceTree = dir.resolve("source");
        Files.createDirectories(sourceTree.resolve("framework").resolve("api"));
        insideSourceTree = Files.createDirectories(sourceTree.resolve("plugins").resolve("lif").resolve("src"));
        outside = Files.createDirectories(dir.resolve("elsewhere"));
    }

    @Test
    void explicitFolderComesFirst() {
        PluginHostOptions options = PluginHostOptions.resolve(explicit, Map.of(ENV, fromEnvironment.toString()),
                home.toString(), insideSourceTree).build();

        assertEquals(PluginHostOptions.Mode.DEPLOYMENT, options.mode());
        assertEquals(explicit, options.pluginsDirectory());
        assertEquals("--plugins-dir", options.origin());
    }

    @Test
    void relativeFoldersAreResolvedAgainstTheWorkingDirectory() {
        assertEquals(explicit, PluginHostOptions.resolve(Path.of("../explicit"), Map.of(), null, outside).build()
                .pluginsDirectory());
        assertEquals(fromEnvironment, PluginHostOptions.resolve(null, Map.of(ENV, "../from-env"), null, outside).build()
                .pluginsDirectory());
    }

    @Test
    void environmentComesBeforeHomeAndSourceTree() {
        PluginHostOptions options = PluginHostOptions.resolve(null, Map.of(ENV, fromEnvironment.toString()),
                home.toString(), insideSourceTree).build();

        assertEquals(PluginHostOptions.Mode.DEPLOYMENT, options.mode());
        assertEquals(fromEnvironment, options.pluginsDirectory());
        assertTrue(options.origin().contains(ENV), options.origin());
    }

    @Test
    void homeComesBeforeSourceTreeAndABlankEnvironmentVariableIsIgnored() {
        PluginHostOptions options = PluginHostOptions.resolve(null, Map.of(ENV, " "), home.toString(), insideSourceTree)
                .build();

        assertEquals(PluginHostOptions.Mode.DEPLOYMENT, options.mode());
        assertEquals(home.resolve("plugins"), options.pluginsDirectory());
    }

    @Test
    void sourceTreeAboveTheWorkingDirectoryIsReadInDevelopmentMode() {
        PluginHostOptions options = PluginHostOptions.resolve(null, Map.of(), null, insideSourceTree).build();

        assertEquals(PluginHostOptions.Mode.DEVELOPMENT, options.mode());
        assertEquals(sourceTree.resolve("plugins"), options.pluginsDirectory());
    }

    @Test
    void withNothingToGoOnTheErrorSaysHowToPointAtPlugins() {
        PluginLocationException failure = assertThrows(PluginLocationException.class,
                () -> PluginHostOptions.resolve(null, Map.of(), null, outside));

        assertTrue(failure.getMessage().contains("--plugins-dir") && failure.getMessage().contains(ENV),
                failure.getMessage());
    }

    @Test
    void aMissingFolderIsAnErrorNamingItAndItsOrigin() throws IOException {
        Path missing = dir.resolve("missing");
        PluginHostOptions.Builder explicitMissing = PluginHostOptions.resolve(missing,
                Map.of(ENV, fromEnvironment.toString()), home.toString(), insideSourceTree);
        assertLocationError(explicitMissing, missing + " does not exist", "--plugins-dir");

        assertLocationError(PluginHostOptions.resolve(null, Map.of(ENV, missing.toString()), home.toString(), outside),
                missing + " does not exist", ENV);

        Path emptyHome = Files.createDirectories(dir.resolve("empty-home"));
        assertLocationError(PluginHostOptions.resolve(null, Map.of(), emptyHome.toString(), insideSourceTree),
                emptyHome.resolve("plugins") + " does not exist", PluginHostOptions.HOME_PROPERTY);
    }

    @Test
    void aFileIsNotAPluginsFolder() throws IOException {
        Path file = Files.writeString(dir.resolve("plugins.txt"), "");

        assertLocationError(PluginHostOptions.deployment(file), file + " is not a folder", "explicit folder");
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

    private static void assertLocationError(PluginHostOptions.Builder builder, String... fragments) {
        PluginLocationException failure = assertThrows(PluginLocationException.class, builder::build);
        for (String fragment : fragments) {
            assertTrue(failure.getMessage().contains(fragment), () -> failure.getMessage() + " lacks " + fragment);
        }
    }
}
