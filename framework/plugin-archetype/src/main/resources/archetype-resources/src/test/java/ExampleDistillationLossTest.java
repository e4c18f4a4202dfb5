package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spikeforge.api.distill.DistillationLoss;
import io.spikeforge.testkit.PluginPackagingContract;
import io.spikeforge.testkit.distill.DistillationLossContract;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** The distillation-loss contract, a hand-computed value, and the plugin's packaging. */
class ExampleDistillationLossTest extends DistillationLossContract {
    private final ExampleDistillationLoss provider = new ExampleDistillationLoss();

    @Override
    protected DistillationLoss createLoss() {
        return provider.create(provider.parameters().resolve(Map.of("weight", 0.5)));
    }

    @Test
    void equalLogitsLeaveTheCrossEntropy() {
        // two classes, logits (0, 0): CE = ln 2; the teacher agrees, so the matching term is 0
        double value = createLoss().compute(Nd4j.createFromArray(new double[][] {{0, 0}}),
                Nd4j.createFromArray(new double[][] {{0, 0}}), new int[] {1}).value();
        assertEquals(Math.log(2), value, 1e-15);
    }

    /** What the host needs to find and create the plugin's components (plugin.properties, extension index). */
    @Nested
    class Packaging extends PluginPackagingContract {
    }
}
