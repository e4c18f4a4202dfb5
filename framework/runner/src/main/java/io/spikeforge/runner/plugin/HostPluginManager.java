package io.spikeforge.runner.plugin;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.pf4j.DefaultPluginManager;
import org.pf4j.ExtensionFactory;
import org.pf4j.InvalidPluginDescriptorException;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginDescriptorFinder;
import org.pf4j.PluginLoader;
import org.pf4j.PluginRuntimeException;
import org.pf4j.PluginWrapper;
import org.pf4j.RuntimeMode;

/**
 * PF4J's plugin manager set up for Spikeforge: plugin paths come from {@link PluginLayout}, each gets
 * a {@link HostFirstPluginClassLoader}, extensions are made by the given factory, {@code plugin.requires}
 * is checked against the Spikeforge version, and one plugin's missing dependency does not stop the
 * others.
 */
final class HostPluginManager extends DefaultPluginManager {

    HostPluginManager(PluginHostOptions options, ExtensionFactory extensionFactory) {
        super(List.of(options.pluginsDirectory()));
        // The super constructor builds its collaborators before this one runs, so whatever depends
        // on the options is set here rather than in the create* methods.
        this.extensionFactory = extensionFactory;
        this.runtimeMode = options.mode() == PluginHostOptions.Mode.DEVELOPMENT
                ? RuntimeMode.DEVELOPMENT : RuntimeMode.DEPLOYMENT;
        setSystemVersion(options.spikeforgeVersion());
        setResolveRecoveryStrategy(ResolveRecoveryStrategy.IGNORE_PLUGIN_AND_CONTINUE);
    }

    @Override
    protected PluginDescriptorFinder createPluginDescriptorFinder() {
        return new JarOrModuleDescriptorFinder();
    }

    @Override
    protected PluginLoader createPluginLoader() {
        return new JarOrModulePluginLoader(this);
    }

    /**
     * Loads the plugin at {@code path} without resolving or starting it.
     *
     * @throws PluginRuntimeException with a one-line message when it cannot be loaded
     */
    PluginWrapper load(Path path) {
        PluginDescriptor descriptor = getPluginDescriptorFinder().find(path);
        try {
            validatePluginDescriptor(descriptor);
        } catch (InvalidPluginDescriptorException e) {
            throw new PluginRuntimeException("{}", "invalid plugin descriptor: " + e.getMessage());
        }
        PluginWrapper sameId = getPlugin(descriptor.getPluginId());
        if (sameId != null) {
            throw new PluginRuntimeException("{}", "plugin id '" + descriptor.getPluginId() + "' is already taken by "
                    + sameId.getPluginPath().getFileName());
        }
        return loadPluginFromPath(path);
    }

    /** Resolves the loaded plugins' dependencies and starts every plugin that may start. */
    void resolveAndStart() {
        resolvePlugins();
        startPlugins();
    }

    /** What kept each of {@code plugins} from starting, one problem per plugin that did not start. */
    List<PluginProblem> startProblems(List<PluginWrapper> plugins) {
        List<PluginProblem> problems = new ArrayList<>();
        for (PluginWrapper plugin : plugins) {
            PluginDescriptor descriptor = plugin.getDescriptor();
            String message = switch (plugin.getPluginState()) {
                case FAILED -> "failed to start: " + PluginHost.oneLine(plugin.getFailedException());
                case DISABLED -> plugin.getFailedException() == null ? null
                        : "requires Spikeforge " + descriptor.getRequires() + " but this is " + getSystemVersion();
                case UNLOADED -> "depends on " + descriptor.getDependencies().stream()
                        .map(d -> d.getPluginId() + "@" + d.getPluginVersionSupport())
                        .collect(Collectors.joining(", ")) + ", which is missing or of another version";
                default -> null;
            };
            if (message != null) {
                problems.add(new PluginProblem(plugin.getPluginPath(), message));
            }
        }
        return problems;
    }

    /**
     * Stops and unloads every plugin and closes its class loader. Not {@link #stopPlugins()}: in
     * PF4J 3.15.0 it removes from the list it iterates and skips plugins.
     */
    void unloadAll() {
        unloadPlugins();
        // unloadPlugins() covers the resolved plugins only
        for (PluginWrapper plugin : getPlugins()) {
            unloadPlugin(plugin.getPluginId());
        }
    }
}
