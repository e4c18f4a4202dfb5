package io.spikeforge.runner.plugin;

import java.nio.file.Files;
import java.nio.file.Path;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginLoader;
import org.pf4j.PluginManager;

/**
 * Gives a plugin jar, or a development module's {@code target/classes}, a
 * {@link HostFirstPluginClassLoader} whose parent is the host's class loader.
 */
final class JarOrModulePluginLoader implements PluginLoader {
    private final PluginManager pluginManager;

    JarOrModulePluginLoader(PluginManager pluginManager) {
        this.pluginManager = pluginManager;
    }

    @Override
    public boolean isApplicable(Path pluginPath) {
        return PluginLayout.isJar(pluginPath) || Files.isDirectory(PluginLayout.moduleClasses(pluginPath));
    }

    @Override
    public ClassLoader loadPlugin(Path pluginPath, PluginDescriptor pluginDescriptor) {
        PluginClassLoader loader = new HostFirstPluginClassLoader(pluginManager, pluginDescriptor,
                JarOrModulePluginLoader.class.getClassLoader());
        loader.addFile((PluginLayout.isJar(pluginPath) ? pluginPath : PluginLayout.moduleClasses(pluginPath)).toFile());
        return loader;
    }
}
