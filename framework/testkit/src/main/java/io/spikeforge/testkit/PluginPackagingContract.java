package io.spikeforge.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.spikeforge.api.component.ComponentKind;
import io.spikeforge.api.component.ComponentProvider;
import io.spikeforge.api.component.ParameterSpec;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.pf4j.Extension;

/**
 * Checks that a plugin module is packaged so that the host will find it: PF4J's extension index
 * lists every provider, {@code plugin.properties} names the plugin with a real version, providers
 * can be instantiated, and every component is described well enough for {@code spikeforge plugins}.
 *
 * <p>Extend it in the plugin's tests, naming the plugin id and its provider classes. The checks read
 * the plugin's compiled output ({@code target/classes} or the jar), the same files the host reads.
 */
public abstract class PluginPackagingContract {
    /** The plugin's id, as in its {@code plugin.properties}. */
    protected abstract String pluginId();

    /** Every provider class the plugin contributes. */
    protected abstract List<Class<? extends ComponentProvider>> providerClasses();

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
            descriptor.load(new java.io.StringReader(read(provider, "plugin.properties")));
            assertEquals(pluginId(), descriptor.getProperty("plugin.id"), "plugin.id in plugin.properties");
            String version = descriptor.getProperty("plugin.version", "");
            assertTrue(version.matches("\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?"),
                    "plugin.version must be a semantic version (is resource filtering on?), got '" + version + "'");
        }
    }

    @Test
    public void everyProviderIsAPublicClassWithAPublicNoArgumentConstructor() throws ReflectiveOperationException {
        for (Class<? extends ComponentProvider> provider : providerClasses()) {
            assertTrue(Modifier.isPublic(provider.getModifiers()) && !Modifier.isAbstract(provider.getModifiers()),
                    provider.getName() + " must be a public concrete class");
            Constructor<? extends ComponentProvider> constructor = provider.getConstructor();
            assertNotNull(constructor.newInstance());
        }
    }

    @Test
    public void everyComponentHasAnIdADescriptionAndDescribedParameters() throws ReflectiveOperationException {
        for (Class<? extends ComponentProvider> type : providerClasses()) {
            ComponentProvider provider = type.getConstructor().newInstance();
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
