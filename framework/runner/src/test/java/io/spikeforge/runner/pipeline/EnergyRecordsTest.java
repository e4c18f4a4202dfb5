package io.spikeforge.runner.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.engine.energy.EnergyReport;
import io.spikeforge.engine.energy.LayerOperations;
import io.spikeforge.engine.train.EvaluationResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where an evaluation's energy report is written: {@code energy.csv}, and checkpoint metadata for {@code --resume}. */
class EnergyRecordsTest {
    private static final EnergyReport STUDENT = new EnergyReport(List.of(new LayerOperations("conv1", 0, 110592),
            new LayerOperations("layer1.0.conv1", 1234.5, 0), new LayerOperations("fc", 0, 80)), 4);
    private static final EnergyReport TEACHER = new EnergyReport(List.of(new LayerOperations("conv1", 0, 5.5e8)), 1);

    @TempDir
    Path dir;

    @Test
    void energyCsvHasARowPerModelAndLayerAndATotalInPlainNumbers() throws Exception {
        RunFolder folder = RunFolder.create(dir, "energy", Clock.systemUTC());
        Map<String, EvaluationResult> evaluations = new LinkedHashMap<>();
        evaluations.put("teacher", new EvaluationResult(0.5, 1, Map.of(), 10, Optional.of(TEACHER)));
        evaluations.put("student", new EvaluationResult(0.25, 2, Map.of("sn1", 0.1), 10, Optional.of(STUDENT)));

        assertTrue(EnergyCsv.write(folder, evaluations));

        assertEquals(List.of(EnergyCsv.HEADER,
                "teacher,conv1,0,550000000,2530000000.000",
                "teacher,total,0,550000000,2530000000.000",
                "student,conv1,0,110592,508723.200",
                "student,layer1.0.conv1,1234.5,0,1111.050",
                "student,fc,0,80,368.000",
                "student,total,1234.5,110672,510202.250"), Files.readAllLines(folder.file(RunFolder.ENERGY)));
    }

    @Test
    void withoutAnyEnergyReportNoFileIsWritten() throws Exception {
        RunFolder folder = RunFolder.create(dir, "energy", Clock.systemUTC());

        assertFalse(EnergyCsv.write(folder, Map.of("student", new EvaluationResult(0.25, 2, Map.of(), 10))));

        assertFalse(Files.exists(folder.file(RunFolder.ENERGY)));
    }

    @Test
    void checkpointMetadataKeepsTheReportInLayerOrderAndOldCheckpointsHaveNone() {
        Map<String, String> metadata = new LinkedHashMap<>();
        EvaluationResult evaluation = new EvaluationResult(0.25, 2, Map.of("sn1", 0.1), 10, Optional.of(STUDENT));
        Checkpoints.putEvaluation(metadata, Checkpoints.TEST, evaluation);

        assertEquals(Optional.of(evaluation), Checkpoints.evaluation(metadata, Checkpoints.TEST));

        metadata.remove(Checkpoints.TEST + "_energy");
        assertEquals(Optional.empty(), Checkpoints.evaluation(metadata, Checkpoints.TEST).orElseThrow().energy(),
                "a checkpoint written before energy was counted");
    }
}
