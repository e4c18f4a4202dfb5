package io.spikeforge.runner.plugin;

import com.google.inject.ConfigurationException;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import com.google.inject.spi.Message;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.pf4j.ExtensionFactory;
import org.pf4j.PluginRuntimeException;

/**
 * Creates extensions through Guice, so that they may take what the host binds through an
 * {@code @jakarta.inject.Inject} constructor; one instance per extension class.
 */
final class GuiceExtensionFactory implements ExtensionFactory {
    private final Injector injector;
    private final Map<Class<?>, Object> instances = new ConcurrentHashMap<>();

    GuiceExtensionFactory(Injector injector) {
        this.injector = injector;
    }

    /** @throws PluginRuntimeException with a one-line reason when Guice cannot build the extension */
    @Override
    public <T> T create(Class<T> extensionClass) {
        return extensionClass.cast(instances.computeIfAbsent(extensionClass, this::instantiate));
    }

    private Object instantiate(Class<?> extensionClass) {
        // PluginRuntimeException formats its message, so the text, which may hold '%', is an argument.
        try {
            return injector.getInstance(extensionClass);
        } catch (ConfigurationException e) {
            throw new PluginRuntimeException(e, "{} (an extension needs a public no-argument constructor, or an"
                    + " @jakarta.inject.Inject one whose parameters the host binds)", firstMessage(e.getErrorMessages()));
        } catch (ProvisionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new PluginRuntimeException(e, "constructor failed: {}", cause);
        }
    }

    /** Guice's messages run over many lines; the first error's own message is the useful one. */
    private static String firstMessage(Collection<Message> messages) {
        return messages.stream().findFirst().map(Message::getMessage).orElse("Guice cannot create it")
                .lines().findFirst().orElse("");
    }
}
