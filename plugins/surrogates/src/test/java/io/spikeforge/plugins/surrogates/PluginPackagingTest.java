package io.spikeforge.plugins.surrogates;

import io.spikeforge.api.component.ComponentProvider;
import io.spikeforge.testkit.PluginPackagingContract;
import java.util.List;

/** The build packages the plugin so that the host finds its components. */
class PluginPackagingTest extends PluginPackagingContract {
    @Override
    protected String pluginId() {
        return "surrogates";
    }

    @Override
    protected List<Class<? extends ComponentProvider>> providerClasses() {
        return List.of(RectangularSurrogateProvider.class, SigmoidSurrogate.class, AtanSurrogate.class,
                TriangleSurrogate.class, ErfSurrogate.class, FastSigmoidSurrogate.class);
    }
}
