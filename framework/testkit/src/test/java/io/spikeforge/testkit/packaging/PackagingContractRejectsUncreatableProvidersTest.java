package io.spikeforge.testkit.packaging;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.component.ComponentProvider;
import io.spikeforge.testkit.PluginPackagingContract;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The contract's constructor check fails, saying why, for each provider the host could not create. */
class PackagingContractRejectsUncreatableProvidersTest {
    @Test
    void aConstructorThatTakesAValueWithoutInjectFails() {
        assertRejected(UncreatableProviders.TakesAValue.class,
                "needs a public no-argument constructor, or one public constructor annotated @jakarta.inject.Inject"
                        + " whose parameters the host binds (io.spikeforge.api.HostInfo)");
    }

    @Test
    void anInjectedParameterThatTheHostDoesNotBindFails() {
        assertRejected(UncreatableProviders.InjectsAnUnboundType.class,
                "its @Inject constructor takes a java.lang.StringBuilder, which the host does not bind");
    }

    @Test
    void twoInjectConstructorsFail() {
        assertRejected(UncreatableProviders.InjectsTwice.class, "has 2 @Inject constructors");
    }

    @Test
    void aNonPublicInjectConstructorFails() {
        assertRejected(UncreatableProviders.InjectsPrivately.class, "its @Inject constructor must be public");
    }

    private static void assertRejected(Class<? extends ComponentProvider> provider, String reason) {
        PluginPackagingContract contract = new PluginPackagingContract() {
            @Override
            protected String pluginId() {
                return "packaging-fixture";
            }

            @Override
            protected List<Class<? extends ComponentProvider>> providerClasses() {
                return List.of(provider);
            }
        };
        AssertionFailedError failure = assertThrows(AssertionFailedError.class,
                contract::everyProviderIsAPublicClassThatTheHostCanCreate);
        assertTrue(failure.getMessage().contains(provider.getName()) && failure.getMessage().contains(reason),
                failure::getMessage);
    }
}
