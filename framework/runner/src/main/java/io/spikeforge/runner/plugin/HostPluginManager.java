package io.spikeforge.runner.plugin;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * a {@link HostFirstPluginClassLoader}, extensions are made by the given factory, and one plugin's
 * missing dependency does not stop the others. {@code plugin.requires} is checked by
 * {@link #versionProblem} before a plugin is loaded, as {@link SpikeforgeVersion} describes, rather
 * than by PF4J, which would disable the plugin after loading it and log about it.
 */
final class HostPluginManager extends DefaultPluginManager {

    HostPluginManager(PluginHostOptions options, ExtensionFactory extensionFactory) {
        super(options.folders().stream().map(PluginHostOptions.Folder::directory).toList());
        // The super constructor builds its collaborators before this one runs, so whatever depends
        // on the options is set here rather than in the create* methods.
        this.extensionFactory = extensionFactory;
        // Only PF4J's own lookup depends on the mode, and plugins are loaded by path here; the loaders
        // and descriptor finder handle jars and modules alike.
        this.runtimeMode = options.folders().stream().anyMatch(f -> f.mode() == PluginHostOptions.Mode.DEVELOPMENT)
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
     * Reads and checks the descriptor of the plugin at {@code path}.
     *
     * @throws PluginRuntimeException with a one-line message when it has no usable descriptor
     */
    PluginDescriptor describe(Path path) {
        PluginDescriptor descriptor = getPluginDescriptorFinder().find(path);
        try {
            validatePluginDescriptor(descriptor);
        } catch (InvalidPluginDescriptorException e) {
            throw new PluginRuntimeException("{}", "invalid plugin descriptor: " + e.getMessage());
        }
        return descriptor;
    }

    /**
     * Why the plugin does not work with this Spikeforge, by its {@code plugin.requires}, if it does not.
     * Versions are compared without qualifiers (see {@link SpikeforgeVersion}); a bare version
     * {@code x.y.z} means {@code >=x.y.z}; {@value SpikeforgeVersion#UNKNOWN} accepts everything.
     */
    Optional<String> versionProblem(PluginDescriptor descriptor) {
        String requires = descriptor.getRequires() == null ? "" : descriptor.getRequires().strip();
        String host = getSystemVersion();
        if (requires.isEmpty() || requires.equals("*") || host.equals(SpikeforgeVersion.UNKNOWN)) {
            return Optional.empty();
        }
        String constraint = SpikeforgeVersion.release(requires);
        if (constraint.matches("\\d+\\.\\d+\\.\\d+")) {
            constraint = ">=" + constraint;
        }
        boolean satisfied;
        try {
            satisfied = getVersionManager().checkVersionConstraint(SpikeforgeVersion.release(host), constraint);
        } catch (RuntimeException e) {
            return Optional.of("plugin.requires '" + requires + "' is not a version range such as >=0.1.0 or"
                    + " >=0.1.0 & <0.2.0 (" + PluginHost.oneLine(e) + ")");
        }
        return satisfied ? Optional.empty() : Optional.of("requires Spikeforge " + requires + " but this is " + host);
    }

    /** Always true: {@link #versionProblem} has kept out the plugins that are not valid here. */
    @Override
    protected boolean isPluginValid(PluginWrapper pluginWrapper) {
        return true;
    }

    /**
     * Loads the plugin at {@code path}, which {@link #describe} accepted, without resolving or starting it.
     *
     * @throws PluginRuntimeException when it cannot be loaded
     */
    PluginWrapper load(Path path) {
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
