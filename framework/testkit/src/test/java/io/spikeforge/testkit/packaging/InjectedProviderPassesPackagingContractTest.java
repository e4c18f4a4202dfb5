package io.spikeforge.testkit.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spikeforge.api.HostInfo;
import io.spikeforge.api.component.ComponentProvider;
import io.spikeforge.testkit.PluginPackagingContract;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A provider with an {@code @Inject} constructor meets the packaging contract, which creates it with
 * the host facts it is given. The extension index and descriptor are in this module's test resources.
 */
class InjectedProviderPassesPackagingContractTest extends PluginPackagingContract {
    @Override
    protected String pluginId() {
        return "packaging-fixture";
    }

    @Override
    protected List<Class<? extends ComponentProvider>> providerClasses() {
        return List.of(InjectedSurrogateProvider.class);
    }

    @Override
    protected HostInfo hostInfo() {
        return new HostInfo("9.9.9", "CUDA");
    }

    @Test
    void theProviderGetsTheHostInfoOfTheContract() throws ReflectiveOperationException {
        assertEquals("A surrogate for packaging tests, on the CUDA backend.", create(InjectedSurrogateProvider.class).description());
    }
}
