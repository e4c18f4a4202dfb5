package io.spikeforge.runner.plugin;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.spikeforge.api.HostInfo;
import io.spikeforge.api.component.ComponentKind;
import io.spikeforge.api.component.ComponentProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.pf4j.IndexedExtensionFinder;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running plugins and the components they supply.
 *
 * <p>{@link #start} loads and starts the plugins of every folder of the options, creates every
 * extension of the four extension points through Guice, builds the {@link ComponentRegistry}, then the
 * injector that hands the components out, typed ({@link #components()}). A plugin that cannot be used is listed in
 * {@link #problems()}, for the caller to report, and the others still work (in strict mode it fails the
 * start instead). Two jars of one plugin id, or two plugins claiming one id of one extension point, fail
 * the start whatever their file names. {@link #close()} unloads the plugins; their components must not be
 * used afterwards.
 */
public final class PluginHost implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PluginHost.class);
    private static final String EXTENSION_INDEX = IndexedExtensionFinder.EXTENSIONS_RESOURCE;

    private final PluginHostOptions options;
    private final HostInfo hostInfo;
    private final HostPluginManager manager;
    private final List<PluginWrapper> plugins;
    private final List<PluginProblem> problems;
    private final ComponentRegistry registry;
    private final Injector injector;
    private final AtomicBoolean closed = new AtomicBoolean();

    private PluginHost(PluginHostOptions options, HostInfo hostInfo, HostPluginManager manager,
                       List<PluginWrapper> plugins, List<PluginProblem> problems, ComponentRegistry registry,
                       Injector injector) {
        this.options = options;
        this.hostInfo = hostInfo;
        this.manager = manager;
        this.plugins = List.copyOf(plugins);
        this.problems = List.copyOf(problems);
        this.registry = registry;
        this.injector = injector;
    }

    /**
     * Loads and starts the plugins that {@code options} point at.
     *
     * @throws DuplicatePluginException when two jars or modules name one plugin id; nothing is loaded
     * @throws DuplicateComponentException when two plugins claim one id of one extension point; the
     *     plugins are unloaded again
     * @throws UnusablePluginsException in strict mode, when a plugin cannot be used; the plugins are
     *     unloaded again
     */
    public static PluginHost start(PluginHostOptions options) {
        HostInfo hostInfo = describeHost(options.spikeforgeVersion());
        // Extensions are created before the component bindings exist (their ids are only known once
        // they are), so they are built by an injector that holds only what the host offers them.
        Injector extensionInjector = Guice.createInjector(new HostModule(hostInfo));
        HostPluginManager manager = new HostPluginManager(options, new GuiceExtensionFactory(extensionInjector));
        try {
            List<PluginProblem> problems = new ArrayList<>();
            List<PluginWrapper> loaded = new ArrayList<>();
            for (Path path : usable(manager, PluginLayout.plugins(options, problems), problems)) {
                try {
                    loaded.add(manager.load(path));
                } catch (RuntimeException e) {
                    problems.add(new PluginProblem(path, oneLine(e)));
                }
            }
            manager.resolveAndStart();
            problems.addAll(manager.startProblems(loaded));
            List<RegisteredComponent> components = new ArrayList<>();
            for (PluginWrapper plugin : loaded) {
                if (plugin.getPluginState().isStarted()) {
                    collectComponents(manager, plugin, components, problems);
                }
            }
            if (options.strict() && !problems.isEmpty()) {
                throw new UnusablePluginsException(problems);
            }
            ComponentRegistry registry = ComponentRegistry.of(components);
            Injector injector = Guice.createInjector(new HostModule(hostInfo), new ComponentModule(registry));
            log.info("{}: {} plugins, {} components, {} problems", options, loaded.size(), components.size(),
                    problems.size());
            return new PluginHost(options, hostInfo, manager, loaded, problems, registry, injector);
        } catch (RuntimeException | Error e) {
            try {
                manager.unloadAll();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /**
     * The paths whose descriptor is usable here, in their order; the others are added to
     * {@code problems}: no readable descriptor, or a {@code plugin.requires} this version does not meet.
     *
     * @throws DuplicatePluginException when two of them name one plugin id, whatever their names or folders
     */
    private static List<Path> usable(HostPluginManager manager, List<Path> paths, List<PluginProblem> problems) {
        Map<Path, PluginDescriptor> descriptors = new LinkedHashMap<>();
        Map<String, List<Path>> pathsById = new LinkedHashMap<>();
        for (Path path : paths) {
            try {
                PluginDescriptor descriptor = manager.describe(path);
                descriptors.put(path, descriptor);
                pathsById.computeIfAbsent(descriptor.getPluginId(), id -> new ArrayList<>()).add(path);
            } catch (RuntimeException e) {
                problems.add(new PluginProblem(path, oneLine(e)));
            }
        }
        pathsById.forEach((id, claimants) -> {
            if (claimants.size() > 1) {
                throw new DuplicatePluginException(id, claimants);
            }
        });
        List<Path> usable = new ArrayList<>();
        descriptors.forEach((path, descriptor) -> manager.versionProblem(descriptor).ifPresentOrElse(
                reason -> problems.add(new PluginProblem(path, reason)), () -> usable.add(path)));
        return usable;
    }

    private static void collectComponents(HostPluginManager manager, PluginWrapper plugin,
                                          List<RegisteredComponent> components, List<PluginProblem> problems) {
        PluginDescriptor descriptor = plugin.getDescriptor();
        PluginClassLoader loader = (PluginClassLoader) plugin.getPluginClassLoader();
        // Asked of the plugin's own classes: PF4J falls back to the host's index when a plugin has none.
        if (loader.findResource(EXTENSION_INDEX) == null) {
            problems.add(new PluginProblem(plugin.getPluginPath(), "supplies no components: no " + EXTENSION_INDEX
                    + " (compile it with PF4J's annotation processor, from org.pf4j:pf4j, on the class path)"));
            return;
        }
        for (String className : manager.getExtensionClassNames(plugin.getPluginId()).stream().sorted().toList()) {
            try {
                Class<?> type = loader.loadClass(className);
                if (!ComponentProvider.class.isAssignableFrom(type)) {
                    log.debug("{}: {} is not a component provider, skipped", plugin.getPluginId(), className);
                    continue;
                }
                if (Arrays.stream(ComponentKind.values()).noneMatch(kind -> kind.providerType().isAssignableFrom(type))) {
                    problems.add(new PluginProblem(plugin.getPluginPath(), className + " implements none of "
                            + Arrays.stream(ComponentKind.values()).map(kind -> kind.providerType().getSimpleName())
                            .collect(Collectors.joining(", "))));
                    continue;
                }
                ComponentProvider provider = (ComponentProvider) manager.getExtensionFactory().create(type);
                if (provider.id() == null || provider.id().isBlank()) {
                    problems.add(new PluginProblem(plugin.getPluginPath(), className + " has no id"));
                    continue;
                }
                // every command lists or validates against these; a plugin built against another API
                // fails here, once and named, rather than in the middle of a command
                provider.description();
                provider.parameters();
                components.add(new RegisteredComponent(provider, descriptor.getPluginId(), descriptor.getVersion(),
                        plugin.getPluginPath()));
            } catch (ClassNotFoundException e) {
                problems.add(new PluginProblem(plugin.getPluginPath(), EXTENSION_INDEX + " lists " + className
                        + ", which the plugin does not contain"));
            } catch (RuntimeException | LinkageError e) {
                problems.add(new PluginProblem(plugin.getPluginPath(), "cannot create " + className + ": "
                        + oneLine(e)));
            }
        }
    }

    /** The first line of a failure's message, or its type when it has none. */
    static String oneLine(Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.toString() : message.lines().findFirst().orElseThrow();
    }

    /** The components of the started plugins, by extension point and id. */
    public ComponentRegistry registry() {
        return registry;
    }

    /**
     * The injector that hands out the components: {@code Map<String, P>} per extension point, {@code P}
     * being its provider interface (such as {@code SurrogateFunctionProvider}), keyed by id; also
     * {@link ComponentRegistry} and {@link HostInfo}. Callers outside this package take the typed
     * {@link #components()}; the bindings themselves are checked by this package's tests.
     */
    Injector injector() {
        return injector;
    }

    /**
     * The components, typed by extension point, as the injector hands them out: what experiment
     * kinds get their plugin components from.
     */
    public ComponentProviders components() {
        return injector.getInstance(ComponentProviders.class);
    }

    /**
     * Every plugin that was loaded, folder by folder in the order of their file names, with its current
     * state; plugins whose descriptor was unusable or whose {@code plugin.requires} this version does not
     * meet are not loaded (they are in {@link #problems()}).
     */
    public List<LoadedPlugin> plugins() {
        return plugins.stream().map(plugin -> {
            PluginDescriptor descriptor = plugin.getDescriptor();
            return new LoadedPlugin(descriptor.getPluginId(), descriptor.getVersion(),
                    descriptor.getPluginDescription(), plugin.getPluginPath(), plugin.getPluginState());
        }).toList();
    }

    /**
     * The plugins and extensions that could not be used, each with its path and a one-line reason. The
     * host does not log them: the caller reports them (the command line prints each once).
     */
    public List<PluginProblem> problems() {
        return problems;
    }

    /** What the plugins were loaded from. */
    public PluginHostOptions options() {
        return options;
    }

    /** The facts about the host that extensions may inject. */
    public HostInfo hostInfo() {
        return hostInfo;
    }

    /** Stops and unloads every plugin and closes their class loaders. Calling it again does nothing. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            manager.unloadAll();
            log.debug("Unloaded the {}", options);
        }
    }

    /**
     * Describes this process. The backend is recognised by which backend class the host class path
     * holds, without loading it: loading it would load ND4J's native libraries.
     */
    static HostInfo describeHost(String spikeforgeVersion) {
        ClassLoader host = PluginHost.class.getClassLoader();
        String backend;
        if (host.getResource("org/nd4j/linalg/jcublas/JCublasBackend.class") != null) {
            backend = "CUDA";
        } else if (host.getResource("org/nd4j/linalg/cpu/nativecpu/CpuBackend.class") != null) {
            backend = "CPU";
        } else {
            backend = "none";
        }
        return new HostInfo(spikeforgeVersion, backend);
    }
}
