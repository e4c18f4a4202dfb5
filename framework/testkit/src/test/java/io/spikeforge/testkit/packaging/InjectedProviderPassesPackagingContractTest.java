package io.spikeforge.testkit.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spikeforge.api.HostInfo;
import io.spikeforge.testkit.PluginPackagingContract;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A provider with an {@code @Inject} constructor meets the packaging contract, which creates it with
 * the host facts it is given. The extension index and descriptor are in this module's test resources;
 * the contract finds the plugin id and the provider there by itself.
 */
class InjectedProviderPassesPackagingContractTest extends PluginPackagingContract {
    @Override
    protected HostInfo hostInfo() {
        return new HostInfo("9.9.9", "CUDA");
    }

    @Test
    void theProviderGetsTheHostInfoOfTheContract() throws ReflectiveOperationException {
        assertEquals("A surrogate for packaging tests, on the CUDA backend.", create(InjectedSurrogateProvider.class).description());
    }

    @Test
    void thePluginIdAndProvidersComeFromTheDescriptorAndTheExtensionIndex() throws IOException {
        assertEquals("packaging-fixture", pluginId());
        assertEquals(List.of(InjectedSurrogateProvider.class), providerClasses());
    }
}
