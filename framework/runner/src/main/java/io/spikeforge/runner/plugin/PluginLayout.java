package io.spikeforge.runner.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How plugins lie on disk in each {@link PluginHostOptions.Mode}, and which paths are plugins. */
final class PluginLayout {
    /** The plugin descriptor's name, at a jar's root and in a module's compiled classes. */
    static final String DESCRIPTOR = "plugin.properties";

    private static final Logger log = LoggerFactory.getLogger(PluginLayout.class);

    private PluginLayout() {
    }

    static boolean isJar(Path path) {
        return Files.isRegularFile(path) && path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar");
    }

    /** A development module's compiled classes. */
    static Path moduleClasses(Path module) {
        return module.resolve("target").resolve("classes");
    }

    /**
     * The plugin paths in the options' folders, folder by folder, each folder's sorted by name: the
     * jars of a deployment folder, the compiled modules of a development one. A module that is not
     * compiled yet is added to {@code problems}; other entries are skipped.
     *
     * @throws PluginLocationException when a folder cannot be read
     */
    static List<Path> plugins(PluginHostOptions options, List<PluginProblem> problems) {
        List<Path> plugins = new ArrayList<>();
        for (PluginHostOptions.Folder folder : options.folders()) {
            for (Path entry : entries(folder.directory())) {
                if (entry.getFileName().toString().startsWith(".")) {
                    continue;
                }
                if (folder.mode() == PluginHostOptions.Mode.DEPLOYMENT) {
                    if (isJar(entry)) {
                        plugins.add(entry);
                    } else {
                        log.debug("Skipping {}: not a jar", entry);
                    }
                } else if (isModule(entry)) {
                    if (Files.isRegularFile(moduleClasses(entry).resolve(DESCRIPTOR))) {
                        plugins.add(entry);
                    } else {
                        problems.add(new PluginProblem(entry, "not compiled: no target/classes/" + DESCRIPTOR
                                + "; run `mvn -o -q compile` in " + folder.directory().getParent()));
                    }
                } else {
                    log.debug("Skipping {}: not a plugin module", entry);
                }
            }
        }
        return plugins;
    }

    /** A build module (it has a POM), not the aggregator's own build output. */
    private static boolean isModule(Path entry) {
        return Files.isDirectory(entry) && !entry.getFileName().toString().equals("target")
                && Files.isRegularFile(entry.resolve("pom.xml"));
    }

    private static List<Path> entries(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw PluginLocationException.unreadable(directory, e);
        }
    }
}
