package io.spikeforge.runner.plugin;

import java.util.List;
import org.pf4j.ClassLoadingStrategy;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;

/**
 * A plugin's class loader that takes the libraries shared with the host from the host, whatever the
 * plugin bundles, and everything else from the plugin first, then its plugin dependencies, then the
 * host.
 *
 * <p>A second copy of a shared library breaks the plugin silently: ND4J loaded by a plugin finds the
 * host's backend "not a subtype" of its own {@code Nd4jBackend}; the API interfaces would not be the
 * ones the host looks extensions up by; a second {@code jakarta.inject.Inject} is an annotation Guice
 * does not know. PF4J's {@link PluginClassLoader} itself sends {@code java.*} to the system loader and
 * {@code org.pf4j.*} to the host.
 */
final class HostFirstPluginClassLoader extends PluginClassLoader {
    /** Package prefixes that the host owns. */
    private static final List<String> HOST_FIRST_PACKAGES = List.of(
            "io.spikeforge.api.",
            "org.nd4j.",
            "org.bytedeco.",
            "com.google.inject.",
            "jakarta.inject.",
            "org.slf4j.");

    HostFirstPluginClassLoader(PluginManager pluginManager, PluginDescriptor pluginDescriptor, ClassLoader host) {
        super(pluginManager, pluginDescriptor, host, ClassLoadingStrategy.PDA);
    }

    private static boolean isHostFirst(String className) {
        for (String prefix : HOST_FIRST_PACKAGES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Asks the host first for shared packages; a class of those packages that the host lacks still
     * comes from the plugin, which cannot clash with a host copy.
     */
    @Override
    public Class<?> loadClass(String className) throws ClassNotFoundException {
        if (isHostFirst(className)) {
            try {
                return getParent().loadClass(className);
            } catch (ClassNotFoundException notInHost) {
                // falls through to the plugin's own classes
            }
        }
        return super.loadClass(className);
    }
}
