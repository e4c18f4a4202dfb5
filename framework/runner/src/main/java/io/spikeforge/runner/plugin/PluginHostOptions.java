package io.spikeforge.runner.plugin;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where the plugin host finds plugins, and how strictly it treats those it cannot use.
 *
 * <p>Plugins come from one or more {@link Folder folders}. Build the options with
 * {@link #deployment(Path)} or {@link #development(Path)} and the {@code opt*} setters, or let
 * {@link #resolve} gather them as the command line does: the bundled plugins plus any extra folders.
 */
public final class PluginHostOptions {
    /** Environment variable naming extra folders of plugin jars, separated like {@code PATH}. */
    public static final String PLUGINS_ENVIRONMENT_VARIABLE = "SPIKEFORGE_PLUGINS";
    /** Environment variable that turns strict plugin checking on ({@code true}) or leaves it off ({@code false}). */
    public static final String STRICT_ENVIRONMENT_VARIABLE = "SPIKEFORGE_STRICT_PLUGINS";
    /** System property naming the distribution's home; its {@code plugins} folder holds the bundled jars. */
    public static final String HOME_PROPERTY = "spikeforge.home";

    /** How plugins are laid out in a folder. */
    public enum Mode {
        /** A folder of plugin jars, each with {@code plugin.properties} or manifest entries. */
        DEPLOYMENT,
        /**
         * The {@code plugins} folder of a source tree: one module per plugin, classes compiled to
         * {@code <module>/target/classes}, descriptor at {@code target/classes/plugin.properties}.
         */
        DEVELOPMENT
    }

    /**
     * A folder the host reads plugins from.
     *
     * @param directory the folder, absolute and normalized
     * @param mode how plugins lie in it
     * @param origin what named it, for messages: {@code bundled}, {@code --plugins-dir}, the environment variable
     */
    public record Folder(Path directory, Mode mode, String origin) {
        public Folder {
            directory = directory.toAbsolutePath().normalize();
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(origin, "origin");
        }

        /** {@code <directory> (<origin>)}, with the mode when it is not a folder of jars. */
        @Override
        public String toString() {
            return directory + " (" + origin + (mode == Mode.DEVELOPMENT ? ", development modules" : "") + ")";
        }
    }

    private final List<Folder> folders;
    private final boolean strict;
    private final String spikeforgeVersion;

    private PluginHostOptions(List<Folder> folders, boolean strict, String spikeforgeVersion) {
        this.folders = List.copyOf(folders);
        this.strict = strict;
        this.spikeforgeVersion = spikeforgeVersion;
    }

    /** Plugins are the jars in {@code pluginsDirectory}. */
    public static Builder deployment(Path pluginsDirectory) {
        return new Builder().optFolder(new Folder(pluginsDirectory, Mode.DEPLOYMENT, "explicit folder"));
    }

    private static Folder sourceTreeFolder(Path sourceRoot) {
        return new Folder(sourceRoot.resolve("plugins"), Mode.DEVELOPMENT, "bundled, source tree " + sourceRoot);
    }

    /**
     * Gathers the plugin folders as the command line does: the bundled plugins, then every folder of
     * {@value #PLUGINS_ENVIRONMENT_VARIABLE}, then every {@code extraDirectories} entry. Extra folders add
     * to the bundled plugins; the bundled ones are left out only when {@code bundled} is false.
     *
     * <p>The bundled plugins are {@code <spikeforge.home>/plugins}, or else, in a source tree found by
     * walking up from the working directory (a folder with {@code framework/api} and {@code plugins/}),
     * its compiled plugin modules. Where neither exists, only the extra folders are read. Strict checking
     * is on when {@value #STRICT_ENVIRONMENT_VARIABLE} says {@code true}; {@link Builder#optStrict} can turn
     * it on as well.
     *
     * @param extraDirectories folders given on the command line ({@code --plugins-dir}), maybe none
     * @param bundled whether the bundled plugins are read
     * @param environment the process environment
     * @param spikeforgeHome the value of the {@value #HOME_PROPERTY} system property, or null
     * @param workingDirectory the directory relative paths are resolved against
     * @return the options' builder; its {@link Builder#build()} fails when a folder does not exist
     * @throws PluginLocationException when no folder is left to read
     * @throws PluginSetupException when {@value #STRICT_ENVIRONMENT_VARIABLE} is neither true nor false
     */
    public static Builder resolve(List<Path> extraDirectories, boolean bundled, Map<String, String> environment,
                                  String spikeforgeHome, Path workingDirectory) {
        Path cwd = workingDirectory.toAbsolutePath().normalize();
        Builder builder = new Builder();
        if (bundled) {
            bundledFolder(spikeforgeHome, cwd).ifPresent(builder::optFolder);
        }
        String fromEnvironment = environment.getOrDefault(PLUGINS_ENVIRONMENT_VARIABLE, "");
        for (String entry : fromEnvironment.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                builder.optFolder(new Folder(cwd.resolve(entry.strip()), Mode.DEPLOYMENT, PLUGINS_ENVIRONMENT_VARIABLE));
            }
        }
        for (Path directory : extraDirectories) {
            builder.optFolder(new Folder(cwd.resolve(directory), Mode.DEPLOYMENT, "--plugins-dir"));
        }
        if (builder.folders.isEmpty()) {
            throw new PluginLocationException(bundled
                    ? "cannot find plugins: pass --plugins-dir <folder of plugin jars>, set " + PLUGINS_ENVIRONMENT_VARIABLE
                            + ", or run inside a Spikeforge source tree (a folder with framework/api and plugins/)"
                    : "the bundled plugins are left out and no other plugin folder is given: pass --plugins-dir"
                            + " <folder of plugin jars> or set " + PLUGINS_ENVIRONMENT_VARIABLE);
        }
        return builder.optStrict(strictFromEnvironment(environment));
    }

    /**
     * {@link #resolve(List, boolean, Map, String, Path)} with this process's environment,
     * {@value #HOME_PROPERTY} and working directory.
     */
    public static Builder resolve(List<Path> extraDirectories, boolean bundled) {
        return resolve(extraDirectories, bundled, System.getenv(), System.getProperty(HOME_PROPERTY),
                Path.of(System.getProperty("user.dir")));
    }

    private static Optional<Folder> bundledFolder(String spikeforgeHome, Path cwd) {
        if (spikeforgeHome != null && !spikeforgeHome.isBlank()) {
            Path home = cwd.resolve(spikeforgeHome.strip()).normalize();
            return Optional.of(new Folder(home.resolve("plugins"), Mode.DEPLOYMENT, "bundled, " + HOME_PROPERTY + "=" + home));
        }
        for (Path dir = cwd; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("framework").resolve("api")) && Files.isDirectory(dir.resolve("plugins"))) {
                return Optional.of(sourceTreeFolder(dir));
            }
        }
        return Optional.empty();
    }

    private static boolean strictFromEnvironment(Map<String, String> environment) {
        String value = environment.getOrDefault(STRICT_ENVIRONMENT_VARIABLE, "").strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "", "false", "0", "no" -> false;
            case "true", "1", "yes" -> true;
            default -> throw new PluginSetupException(STRICT_ENVIRONMENT_VARIABLE + "="
                    + environment.get(STRICT_ENVIRONMENT_VARIABLE) + ": expected true or false");
        };
    }

    /** The folders plugins are read from, in reading order, each once; the bundled one first when read. */
    public List<Folder> folders() {
        return folders;
    }

    /**
     * Whether a plugin that cannot be used fails the start ({@link UnusablePluginsException}) instead of
     * being skipped with a {@link PluginProblem}.
     */
    public boolean strict() {
        return strict;
    }

    /** The Spikeforge version that plugins' {@code plugin.requires} is checked against. */
    public String spikeforgeVersion() {
        return spikeforgeVersion;
    }

    @Override
    public String toString() {
        return "plugins from " + folders.stream().map(Folder::toString).collect(Collectors.joining(", "))
                + (strict ? ", strict" : "");
    }

    /** Builds {@link PluginHostOptions}; {@link #build()} checks that the plugin folders exist. */
    public static final class Builder {
        private final List<Folder> folders = new ArrayList<>();
        private boolean strict;
        private String spikeforgeVersion = SpikeforgeVersion.current();

        private Builder() {
        }

        /** Adds a folder of plugin jars. */
        public Builder optFolder(Path pluginsDirectory) {
            return optFolder(new Folder(pluginsDirectory, Mode.DEPLOYMENT, "explicit folder"));
        }

        private Builder optFolder(Folder folder) {
            folders.add(folder);
            return this;
        }

        /** Turns strict checking on: a plugin that cannot be used fails the start (default: off). */
        public Builder optStrict(boolean strict) {
            this.strict = this.strict || strict;
            return this;
        }

        /**
         * Overrides the Spikeforge version that {@code plugin.requires} is checked against (default:
         * {@link SpikeforgeVersion#current()}); {@value SpikeforgeVersion#UNKNOWN} turns the check off.
         */
        public Builder optSpikeforgeVersion(String version) {
            this.spikeforgeVersion = Objects.requireNonNull(version, "version");
            return this;
        }

        /**
         * Checks the folders and drops repeats: a folder named twice (say, the bundled one again with
         * {@code --plugins-dir}) is read once, where it first appears.
         *
         * @throws PluginLocationException when a plugins folder does not exist, is not a folder or
         *     cannot be read
         */
        public PluginHostOptions build() {
            List<Folder> distinct = new ArrayList<>();
            Set<Path> seen = new HashSet<>();
            for (Folder folder : folders) {
                Path directory = folder.directory();
                if (!Files.exists(directory)) {
                    throw new PluginLocationException("plugins folder " + directory + " does not exist (from "
                            + folder.origin() + ")");
                }
                if (!Files.isDirectory(directory)) {
                    throw new PluginLocationException("plugins folder " + directory + " is not a folder (from "
                            + folder.origin() + ")");
                }
                if (seen.add(realPath(directory))) {
                    distinct.add(folder);
                }
            }
            return new PluginHostOptions(distinct, strict, spikeforgeVersion);
        }

        private static Path realPath(Path directory) {
            try {
                return directory.toRealPath();
            } catch (IOException e) {
                throw PluginLocationException.unreadable(directory, e);
            }
        }
    }
}
