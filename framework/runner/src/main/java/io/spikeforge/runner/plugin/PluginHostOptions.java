package io.spikeforge.runner.plugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the plugin host finds plugins, and how it reads them.
 *
 * <p>Build with {@link #deployment(Path)} or {@link #development(Path)} and the {@code opt*}
 * setters, or let {@link #resolve} pick the location by the usual precedence.
 */
public final class PluginHostOptions {
    /** Environment variable naming a folder of plugin jars. */
    public static final String PLUGINS_ENVIRONMENT_VARIABLE = "SPIKEFORGE_PLUGINS";
    /** System property naming the distribution's home; its {@code plugins} folder holds the jars. */
    public static final String HOME_PROPERTY = "spikeforge.home";

    /** How plugins are laid out on disk. */
    public enum Mode {
        /** A folder of plugin jars, each with {@code plugin.properties} or manifest entries. */
        DEPLOYMENT,
        /**
         * The {@code plugins} folder of a source tree: one module per plugin, classes compiled to
         * {@code <module>/target/classes}, descriptor at {@code target/classes/plugin.properties}.
         */
        DEVELOPMENT
    }

    private final Mode mode;
    private final Path pluginsDirectory;
    private final String origin;
    private final String spikeforgeVersion;

    private PluginHostOptions(Builder builder) {
        this.mode = builder.mode;
        this.pluginsDirectory = builder.pluginsDirectory;
        this.origin = builder.origin;
        this.spikeforgeVersion = builder.spikeforgeVersion;
    }

    /** Plugins are the jars in {@code pluginsDirectory}. */
    public static Builder deployment(Path pluginsDirectory) {
        return new Builder(Mode.DEPLOYMENT, pluginsDirectory, "explicit folder");
    }

    /** Plugins are the compiled modules under {@code sourceRoot/plugins}. */
    public static Builder development(Path sourceRoot) {
        return new Builder(Mode.DEVELOPMENT, sourceRoot.resolve("plugins"), "source tree " + sourceRoot);
    }

    /**
     * Picks where plugins are, in this order: the explicit folder ({@code --plugins-dir}), the
     * {@value #PLUGINS_ENVIRONMENT_VARIABLE} environment variable, {@code <spikeforge.home>/plugins}, a
     * source tree found by walking up from the working directory (a folder with {@code framework/api}
     * and {@code plugins/}, read in development mode).
     *
     * @param explicitDirectory the folder given on the command line, or null
     * @param environment the process environment
     * @param spikeforgeHome the value of the {@value #HOME_PROPERTY} system property, or null
     * @param workingDirectory the directory relative paths are resolved against
     * @return the options' builder; its {@link Builder#build()} fails when the chosen folder does not exist
     * @throws PluginLocationException when none of these applies
     */
    public static Builder resolve(Path explicitDirectory, Map<String, String> environment, String spikeforgeHome,
                                  Path workingDirectory) {
        Path cwd = workingDirectory.toAbsolutePath().normalize();
        if (explicitDirectory != null) {
            return new Builder(Mode.DEPLOYMENT, cwd.resolve(explicitDirectory), "--plugins-dir");
        }
        String fromEnvironment = environment.get(PLUGINS_ENVIRONMENT_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return new Builder(Mode.DEPLOYMENT, cwd.resolve(fromEnvironment.strip()),
                    "environment variable " + PLUGINS_ENVIRONMENT_VARIABLE);
        }
        if (spikeforgeHome != null && !spikeforgeHome.isBlank()) {
            return new Builder(Mode.DEPLOYMENT, cwd.resolve(spikeforgeHome.strip()).resolve("plugins"),
                    "system property " + HOME_PROPERTY + "=" + spikeforgeHome.strip());
        }
        return findSourceTree(cwd).map(PluginHostOptions::development).orElseThrow(() -> new PluginLocationException(
                "cannot find plugins: pass --plugins-dir <folder of plugin jars>, set " + PLUGINS_ENVIRONMENT_VARIABLE
                        + ", or run inside a Spikeforge source tree (a folder with framework/api and plugins/)"));
    }

    /** {@link #resolve} with this process's environment, {@value #HOME_PROPERTY} and working directory. */
    public static Builder resolve(Path explicitDirectory) {
        return resolve(explicitDirectory, System.getenv(), System.getProperty(HOME_PROPERTY),
                Path.of(System.getProperty("user.dir")));
    }

    private static Optional<Path> findSourceTree(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("framework").resolve("api")) && Files.isDirectory(dir.resolve("plugins"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    public Mode mode() {
        return mode;
    }

    /** The folder of plugin jars, or in development mode the source tree's {@code plugins} folder. */
    public Path pluginsDirectory() {
        return pluginsDirectory;
    }

    /** What chose the folder, for messages: {@code --plugins-dir}, the environment variable, and so on. */
    public String origin() {
        return origin;
    }

    /** The Spikeforge version that plugins' {@code plugin.requires} is checked against. */
    public String spikeforgeVersion() {
        return spikeforgeVersion;
    }

    @Override
    public String toString() {
        return mode.name().toLowerCase(Locale.ROOT) + " plugins in " + pluginsDirectory + " (" + origin + ")";
    }

    /** Builds {@link PluginHostOptions}; {@link #build()} checks that the plugins folder exists. */
    public static final class Builder {
        private final Mode mode;
        private final Path pluginsDirectory;
        private final String origin;
        private String spikeforgeVersion = SpikeforgeVersion.current();

        private Builder(Mode mode, Path pluginsDirectory, String origin) {
            this.mode = mode;
            this.pluginsDirectory = pluginsDirectory.toAbsolutePath().normalize();
            this.origin = origin;
        }

        /**
         * Overrides the Spikeforge version that {@code plugin.requires} is checked against (default:
         * {@link SpikeforgeVersion#current()}); {@code "0.0.0"} turns the check off.
         */
        public Builder optSpikeforgeVersion(String version) {
            this.spikeforgeVersion = Objects.requireNonNull(version, "version");
            return this;
        }

        /** @throws PluginLocationException when the plugins folder does not exist or is not a folder */
        public PluginHostOptions build() {
            if (!Files.exists(pluginsDirectory)) {
                throw new PluginLocationException("plugins folder " + pluginsDirectory + " does not exist (from "
                        + origin + ")");
            }
            if (!Files.isDirectory(pluginsDirectory)) {
                throw new PluginLocationException("plugins folder " + pluginsDirectory + " is not a folder (from "
                        + origin + ")");
            }
            return new PluginHostOptions(this);
        }
    }
}
