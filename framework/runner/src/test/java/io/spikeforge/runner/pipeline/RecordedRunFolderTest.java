package io.spikeforge.runner.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.engine.io.Safetensors;
import io.spikeforge.engine.io.SafetensorsDtype;
import io.spikeforge.engine.io.SafetensorsFile;
import io.spikeforge.engine.io.WeightImport;
import io.spikeforge.engine.model.ResNet;
import io.spikeforge.engine.train.Sgd;
import io.spikeforge.engine.train.TrainingCheckpoint;
import io.spikeforge.runner.config.DistillExperiment;
import io.spikeforge.testkit.neuron.LifTestNeuron;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * File-format stability, as Tribuo keeps loading its old models: the run folder of the tiny
 * experiment as Spikeforge 0.1.0-SNAPSHOT wrote it ({@code src/test/resources/format/run-0.1.0}, see
 * the README there for the version and the command), stopped at the start of the student's second
 * epoch, must read as it was written, by every later version. Its {@code manifest.tsv} was recorded
 * by a reader independent of Spikeforge (tools/format-fixture/manifest.py): each file's metadata, and
 * each tensor's name, type, shape and the SHA-256 of its bytes.
 *
 * <p>When a format changes, the fixture stays: a later version reads the old files (or refuses them
 * with a clear error, as a test here would then say) and a new fixture is added beside this one.
 */
class RecordedRunFolderTest {
    private static final String FIXTURE = "/format/run-0.1.0/";

    @TempDir
    Path dir;

    @Test
    void everyTensorAndMetadataEntryReadsAsRecorded() throws Exception {
        Map<String, Recorded> manifest = manifest();
        assertEquals(List.of("checkpoints/student-last.safetensors", "checkpoints/teacher-last.safetensors",
                "student.safetensors", "teacher.safetensors"), List.copyOf(manifest.keySet()));
        for (Map.Entry<String, Recorded> entry : manifest.entrySet()) {
            String file = entry.getKey();
            Recorded recorded = entry.getValue();
            SafetensorsFile read = Safetensors.read(fixture(file));
            assertEquals(recorded.metadata, new TreeMap<>(read.metadata()), file + ": metadata");
            assertEquals(recorded.tensors.stream().map(RecordedTensor::name).sorted().toList(),
                    read.tensors().keySet().stream().sorted().toList(), file + ": tensor names");
            for (RecordedTensor tensor : recorded.tensors) {
                String what = file + ": " + tensor.name;
                INDArray value = read.tensors().get(tensor.name);
                assertEquals(tensor.dtype, read.dtypes().get(tensor.name).name(), what + ": type");
                assertArrayEquals(tensor.shape, value.shape(), what + ": shape");
                assertEquals(tensor.sha256, sha256(value, read.dtypes().get(tensor.name)), what + ": values");
            }
        }
    }

    @Test
    void theStudentsCheckpointRestoresItsWeightsMomentumAndEpoch() throws Exception {
        TrainingCheckpoint checkpoint = TrainingCheckpoint.read(fixture("checkpoints/student-last.safetensors"));
        assertEquals("student", checkpoint.metadata().get(WeightImport.MODEL_KEY));
        assertEquals("1", checkpoint.metadata().get(Checkpoints.EPOCHS_COMPLETED));
        assertEquals("2", checkpoint.metadata().get(Checkpoints.EPOCHS));
        assertEquals("spiking-resnet8", checkpoint.metadata().get(WeightImport.ARCHITECTURE_KEY));

        // the student of the recorded config.yaml: ResNet-8, widths 4/8/8, T = 2, SGD momentum 0.9
        ResNet student = ResNet.builder().optDepth(8).optWidths(4, 8, 8).optClasses(10)
                .optSpiking((layer, type) -> LifTestNeuron.builder().build(), 2).build();
        Sgd optimizer = new Sgd(0.9, 1e-4, false);
        checkpoint.restore(student, optimizer);

        assertEquals(new TreeSet<>(student.stateDict().names()), new TreeSet<>(checkpoint.modelTensors().keySet()));
        for (String name : student.stateDict().names()) {
            assertEquals(checkpoint.modelTensors().get(name), student.stateDict().get(name), name);
        }
        assertEquals(student.parameters().keySet(), checkpoint.momentumBuffers().keySet(),
                "every parameter has taken a step in the first epoch");
        assertTrue(checkpoint.momentumBuffers().values().stream().anyMatch(m -> m.amaxNumber().doubleValue() > 0));
    }

    @Test
    void theTeachersWeightsLoadIntoAResNet8() throws Exception {
        ResNet teacher = ResNet.builder().optDepth(8).optWidths(4, 8, 8).optClasses(10).build();
        WeightImport.Report report = WeightImport.importInto(fixture("teacher.safetensors"), teacher.stateDict());
        assertEquals(List.copyOf(teacher.stateDict().names()), report.assigned());
        assertTrue(report.ignored().isEmpty(), () -> "ignored " + report.ignored());
    }

    @Test
    void theRecordedConfigLoadsToTheSameExperiment() throws Exception {
        String recorded = Files.readString(fixture("config.yaml"));
        assertTrue(recorded.contains("\n  plugin_version: \"0\"\n"), "the fixture records each slot's plugin");
        Path config = Files.writeString(dir.resolve("config.yaml"), recorded
                .replace("path: DATA\n", "path: " + dir.resolve("data") + "\n")
                .replace("dir: RUNS\n", "dir: " + dir.resolve("runs") + "\n"));

        DistillExperiment loaded = (DistillExperiment) TinyExperiments.loader(List.of()).load(config);

        DistillExperiment today = TinyExperiments.load(dir, dir.resolve("data"));
        assertEquals(today, loaded);
        assertEquals(today.flatten(), loaded.flatten(), "what run --resume compares with a given file");
    }

    private static Path fixture(String name) throws URISyntaxException {
        URL url = RecordedRunFolderTest.class.getResource(FIXTURE + name);
        assertNotNull(url, () -> "missing test resource " + FIXTURE + name);
        return Path.of(url.toURI());
    }

    /** SHA-256 of the tensor's values as the file stores them: little endian, c order. */
    private static String sha256(INDArray value, SafetensorsDtype dtype) throws NoSuchAlgorithmException {
        ByteBuffer bytes;
        if (dtype == SafetensorsDtype.F32) {
            float[] values = value.castTo(DataType.FLOAT).dup('c').reshape(value.length()).toFloatVector();
            bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(values);
        } else if (dtype == SafetensorsDtype.I64) {
            long[] values = value.castTo(DataType.LONG).dup('c').reshape(value.length()).toLongVector();
            bytes = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asLongBuffer().put(values);
        } else {
            throw new AssertionError("the fixture has a tensor of type " + dtype + "; add its byte layout here");
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
    }

    private record RecordedTensor(String name, String dtype, long[] shape, String sha256) {
    }

    private record Recorded(Map<String, String> metadata, List<RecordedTensor> tensors) {
    }

    /** manifest.tsv by file: metadata and tensors. */
    private static Map<String, Recorded> manifest() throws IOException, URISyntaxException {
        Map<String, Recorded> files = new LinkedHashMap<>();
        for (String line : Files.readAllLines(fixture("manifest.tsv"), StandardCharsets.UTF_8)) {
            String[] fields = line.split("\t", -1);
            Recorded recorded = files.computeIfAbsent(fields[0], f -> new Recorded(new TreeMap<>(), new ArrayList<>()));
            if (fields[1].equals("metadata")) {
                recorded.metadata.put(fields[2], fields[3]);
            } else {
                long[] shape = fields[4].isEmpty() ? new long[0]
                        : Arrays.stream(fields[4].split(",")).mapToLong(Long::parseLong).toArray();
                recorded.tensors.add(new RecordedTensor(fields[2], fields[3], shape, fields[5]));
            }
        }
        assertFalse(files.isEmpty(), "an empty manifest");
        return files;
    }
}
