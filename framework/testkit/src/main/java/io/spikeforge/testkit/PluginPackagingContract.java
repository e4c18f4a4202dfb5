package io.spikeforge.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.spikeforge.api.HostInfo;
import io.spikeforge.api.component.ComponentKind;
import io.spikeforge.api.component.ComponentProvider;
import io.spikeforge.api.component.ParameterSpec;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.pf4j.Extension;

/**
 * Checks that a plugin module is packaged so that the host will find it: PF4J's extension index
 * lists every provider, {@code plugin.properties} names the plugin with a real version, providers
 * can be created the way the host creates them, and every component is described well enough for
 * {@code spikeforge plugins}.
 *
 * <p>The host creates providers through Guice: a provider has either a public no-argument
 * constructor, or one public constructor annotated {@code @jakarta.inject.Inject} whose parameters
 * are all of the types the host binds ({@link HostInfo}). The contract creates them the same way,
 * passing {@link #hostInfo()}.
 *
 * <p>Extend it in the plugin's tests; an empty subclass is enough. The contract finds the plugin the
 * way the host does: its id from the first {@code plugin.properties} on the test class path, which is
 * the plugin's own compiled output ({@code target/classes}, or the jar), and its providers from PF4J's
 * extension index ({@code META-INF/extensions.idx}) beside it. The checks read the same files the host
 * reads.
 */
public abstract class PluginPackagingContract {
    private static final String DESCRIPTOR = "plugin.properties";
    private static final String EXTENSION_INDEX = "META-INF/extensions.idx";

    /**
     * The plugin's id: by default {@code plugin.id} of the first {@code plugin.properties} on the test
     * class path. Override it only to pin the id that the descriptor must carry.
     */
    protected String pluginId() throws IOException {
        URL descriptor = resource(DESCRIPTOR);
        Properties properties = new Properties();
        try (InputStream in = descriptor.openStream()) {
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        String id = properties.getProperty("plugin.id", "").trim();
        assertFalse(id.isEmpty(), descriptor + " has no plugin.id");
        return id;
    }

    /**
     * Every provider class the plugin contributes: by default each class in the extension index that
     * lies beside the plugin's {@code plugin.properties}; an index that is missing, empty, or names a
     * class that is not a {@link ComponentProvider} fails. Override it to list them by hand.
     */
    protected List<Class<? extends ComponentProvider>> providerClasses() throws IOException {
        return indexedProviders(resource(DESCRIPTOR), getClass().getClassLoader());
    }

    /** The providers listed by the extension index beside {@code descriptor}, loaded by {@code loader}. */
    static List<Class<? extends ComponentProvider>> indexedProviders(URL descriptor, ClassLoader loader)
            throws IOException {
        String root = descriptor.toString().substring(0, descriptor.toString().length() - DESCRIPTOR.length());
        URL index = new URL(root + EXTENSION_INDEX);
        String text;
        try (InputStream in = index.openStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("no " + EXTENSION_INDEX + " beside " + descriptor + ": are the providers annotated"
                    + " @Extension and PF4J's annotation processor on the compile path?", e);
        }
        List<Class<? extends ComponentProvider>> providers = new ArrayList<>();
        for (String line : text.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList()) {
            Class<?> type;
            try {
                type = Class.forName(line, false, loader);
            } catch (ClassNotFoundException e) {
                throw new AssertionError(index + " lists " + line + ", which is not on the class path", e);
            }
            assertTrue(ComponentProvider.class.isAssignableFrom(type), index + " lists " + line
                    + ", which is not a " + ComponentProvider.class.getName());
            providers.add(type.asSubclass(ComponentProvider.class));
        }
        assertFalse(providers.isEmpty(), index + " lists no provider");
        return providers;
    }

    /**
     * What the contract passes to a provider's {@code @Inject} constructor: this Spikeforge API's
     * version (from its jar's manifest, {@code 0.0.0} when run from classes) on the CPU backend.
     * Override it to check a provider against other host facts.
     */
    protected HostInfo hostInfo() {
        String version = HostInfo.class.getPackage().getImplementationVersion();
        return new HostInfo(version == null ? "0.0.0" : version, "CPU");
    }

    @Test
    public void theExtensionIndexListsEveryProvider() throws IOException {
        for (Class<? extends ComponentProvider> provider : providerClasses()) {
            String index = read(provider, "META-INF/extensions.idx");
            assertTrue(index.lines().map(String::trim).anyMatch(provider.getName()::equals),
                    "META-INF/extensions.idx beside " + provider.getName() + " does not list it; is the class annotated"
                            + " @Extension and PF4J's annotation processor on the compile path?\n" + index);
            assertNotNull(provider.getAnnotation(Extension.class), provider.getName() + " lacks @Extension");
        }
    }

    @Test
    public void theDescriptorNamesThePluginWithARealVersion() throws IOException {
        for (Class<? extends ComponentProvider> provider : providerClasses()) {
            Properties descriptor = new Properties();
            descriptor.load(new StringReader(read(provider, "plugin.properties")));
            assertEquals(pluginId(), descriptor.getProperty("plugin.id"), "plugin.id in plugin.properties");
            String version = descriptor.getProperty("plugin.version", "");
            assertTrue(version.matches("\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?"),
                    "plugin.version must be a semantic version (is resource filtering on?), got '" + version + "'");
        }
    }

    @Test
    public void everyProviderIsAPublicClassThatTheHostCanCreate() throws ReflectiveOperationException, IOException {
        for (Class<? extends ComponentProvider> provider : providerClasses()) {
            assertNotNull(create(provider), provider.getName());
        }
    }

    @Test
    public void everyComponentHasAnIdADescriptionAndDescribedParameters() throws ReflectiveOperationException,
            IOException {
        for (Class<? extends ComponentProvider> type : providerClasses()) {
            ComponentProvider provider = create(type);
            ComponentKind.of(provider);
            assertTrue(provider.id().matches("[a-z][a-z0-9]*(-[a-z0-9]+)*"),
                    "id '" + provider.id() + "' must be lowercase words joined by hyphens");
            assertFalse(provider.description().isBlank(), provider.id() + " has no description");
            for (ParameterSpec spec : provider.parameters().specs()) {
                assertFalse(spec.description().isBlank(), provider.id() + " parameter " + spec.name() + " has no description");
            }
            if (provider.parameters().specs().stream().noneMatch(ParameterSpec::required)) {
                // defaults alone must make a valid component, since experiments may give only the id
                provider.validate(provider.parameters().defaults());
            }
        }
    }

    /**
     * Creates a provider as the host's Guice injector would: through its one {@code @Inject}
     * constructor, or else its no-argument constructor; fails saying what the host needs otherwise.
     */
    protected final <P extends ComponentProvider> P create(Class<P> provider) throws ReflectiveOperationException {
        String name = provider.getName();
        assertTrue(Modifier.isPublic(provider.getModifiers()) && !Modifier.isAbstract(provider.getModifiers()),
                name + " must be a public concrete class");
        Map<Class<?>, Object> bound = hostBindings();
        List<Constructor<?>> injectable = Arrays.stream(provider.getDeclaredConstructors())
                .filter(c -> c.isAnnotationPresent(Inject.class)).toList();
        assertTrue(injectable.size() <= 1, name + " has " + injectable.size() + " @Inject constructors; the host needs"
                + " one");
        Constructor<?> constructor;
        if (injectable.isEmpty()) {
            constructor = Arrays.stream(provider.getConstructors()).filter(c -> c.getParameterCount() == 0).findFirst()
                    .orElse(null);
            assertNotNull(constructor, name + " needs a public no-argument constructor, or one public constructor"
                    + " annotated @jakarta.inject.Inject whose parameters the host binds (" + names(bound) + ")");
        } else {
            constructor = injectable.get(0);
            assertTrue(Modifier.isPublic(constructor.getModifiers()), name + ": its @Inject constructor must be public");
            for (Class<?> parameter : constructor.getParameterTypes()) {
                assertTrue(bound.containsKey(parameter), name + ": its @Inject constructor takes a "
                        + parameter.getName() + ", which the host does not bind (it binds " + names(bound) + ")");
            }
        }
        Object[] arguments = Arrays.stream(constructor.getParameterTypes()).map(bound::get).toArray();
        return provider.cast(constructor.newInstance(arguments));
    }

    /** What the host binds for providers' {@code @Inject} constructors, by type (as its HostModule does). */
    private Map<Class<?>, Object> hostBindings() {
        return Map.of(HostInfo.class, Objects.requireNonNull(hostInfo(), "hostInfo()"));
    }

    private static String names(Map<Class<?>, Object> bound) {
        return String.join(", ", bound.keySet().stream().map(Class::getName).sorted().toList());
    }

    /** The first resource of that name on the test class path, which must exist. */
    private URL resource(String name) {
        URL url = getClass().getClassLoader().getResource(name);
        assertNotNull(url, "no " + name + " on the test class path: is it in src/main/resources?");
        return url;
    }

    /** The named resource from the same jar or classes folder as {@code type}. */
    private static String read(Class<?> type, String resource) throws IOException {
        URL location = type.getProtectionDomain().getCodeSource().getLocation();
        URL url = location.getPath().endsWith(".jar")
                ? new URL("jar:" + location + "!/" + resource)
                : new URL(location, resource);
        try (InputStream in = url.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            fail("no " + resource + " in " + location + " (where " + type.getName() + " was loaded from)");
            throw e;
        }
    }
}
