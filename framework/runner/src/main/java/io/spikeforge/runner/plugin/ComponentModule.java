package io.spikeforge.runner.plugin;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.util.Providers;
import io.spikeforge.api.component.ComponentKind;
import io.spikeforge.api.component.ComponentProvider;

/**
 * Binds the {@link ComponentRegistry} and, per extension point, a {@code Map<String, P>} of its
 * providers by id ({@code P} is the kind's provider interface); the map is bound, empty, even when no
 * plugin supplies that kind.
 */
final class ComponentModule extends AbstractModule {
    private final ComponentRegistry registry;

    ComponentModule(ComponentRegistry registry) {
        this.registry = registry;
    }

    @Override
    protected void configure() {
        bind(ComponentRegistry.class).toInstance(registry);
        for (ComponentKind kind : ComponentKind.values()) {
            bindProviders(kind, kind.providerType());
        }
    }

    private <P extends ComponentProvider> void bindProviders(ComponentKind kind, Class<P> providerType) {
        MapBinder<String, P> providers = MapBinder.newMapBinder(binder(), String.class, providerType);
        // Providers.of, not toInstance: Guice would inject the already-built extension's members again.
        registry.components(kind).forEach((id, component) ->
                providers.addBinding(id).toProvider(Providers.of(providerType.cast(component.provider()))));
    }
}
