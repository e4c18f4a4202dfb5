package io.spikeforge.runner.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spikeforge.api.model.LayerInfo;
import io.spikeforge.api.model.LayerKind;
import io.spikeforge.engine.data.ImageShape;
import io.spikeforge.engine.model.Model;
import io.spikeforge.runner.config.DistillExperiment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Models as experiments describe them. */
class ModelFactoryTest {
    @TempDir
    Path dir;

    /** The student's BN weights, one value per BN layer (all its channels must agree). */
    private List<Double> studentBatchNormWeights(String... overrides) throws Exception {
        DistillExperiment experiment = TinyExperiments.load(dir, dir.resolve("data"), overrides);
        Model student = ModelFactory.build(experiment.student().model(), ImageShape.RGB_32, 10, 1,
                TinyExperiments.neurons(experiment.neuron(), experiment.surrogate()), null);
        List<Double> weights = new ArrayList<>();
        for (LayerInfo layer : student.structure().layers()) {
            if (layer.kind() == LayerKind.BATCH_NORM) {
                double[] values = student.stateDict().get(layer.name() + ".weight").toDoubleVector();
                for (double value : values) {
                    assertEquals(values[0], value, layer.name());
                }
                weights.add(values[0]);
            }
        }
        return weights;
    }

    @Test
    void tdbnWeightsStartAtTheThresholdOfTheConfiguredNeuron() throws Exception {
        // stem, two BN layers per block, and the projections of stages 2 and 3
        List<Double> ifDefault = studentBatchNormWeights("neuron.id=if");
        assertEquals(List.of(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0), ifDefault);
        assertEquals(List.of(0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5), studentBatchNormWeights());
        List<Double> lif = studentBatchNormWeights("neuron.threshold=0.75", "student.model.block=sew-add");
        assertEquals(List.of(0.75, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75), lif);
        assertEquals(List.of(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0),
                studentBatchNormWeights("neuron.threshold=0.75", "student.model.batch_norm=bn"));
    }
}
