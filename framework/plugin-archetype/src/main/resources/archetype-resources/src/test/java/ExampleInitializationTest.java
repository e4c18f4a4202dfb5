package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spikeforge.api.init.InitializationStrategy;
import io.spikeforge.testkit.PluginPackagingContract;
import io.spikeforge.testkit.init.CifarResNet;
import io.spikeforge.testkit.init.InitializationStrategyContract;
import io.spikeforge.testkit.init.ModelPair;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The initialization contract on two small ResNets of one size, the copied values, and the plugin's packaging. */
class ExampleInitializationTest extends InitializationStrategyContract {
    private final ExampleInitialization provider = new ExampleInitialization();

    @Override
    protected InitializationStrategy createStrategy() {
        return provider.create(provider.parameters().defaults());
    }

    @Override
    protected ModelPair createModels() {
        CifarResNet.Builder models = CifarResNet.builder().blocksPerStage(1, 1).widths(4, 8);
        return new ModelPair(models.architecture("teacher").seed(1).build(), models.architecture("student").seed(2).build());
    }

    @Test
    void theStudentGetsTheTeachersValues() {
        ModelPair models = createModels();
        createStrategy().initialize(models.teacher().structure(), models.teacher().state(), models.student().structure(),
                models.student().state());
        for (String name : models.student().state().names()) {
            assertEquals(models.teacher().state().get(name), models.student().state().get(name), name);
        }
    }

    /** What the host needs to find and create the plugin's components (plugin.properties, extension index). */
    @Nested
    class Packaging extends PluginPackagingContract {
    }
}
