package io.spikeforge.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.model.StateDict;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class WeightImportTest {
    @TempDir
    Path folder;

    /** A PyTorch-style file: conv [out, in, kH, kW], BN vectors and its step counter. */
    private Path pyTorchFile(Map<String, INDArray> extra) throws IOException {
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        tensors.put("conv1.weight", Nd4j.arange(2 * 3 * 3 * 3).castTo(DataType.FLOAT).reshape(2, 3, 3, 3));
        tensors.put("bn1.running_mean", Nd4j.createFromArray(0.5f, -0.5f));
        tensors.put("bn1.running_var", Nd4j.createFromArray(2f, 3f));
        tensors.put("bn1.num_batches_tracked", Nd4j.scalar(391L));
        tensors.putAll(extra);
        Path file = folder.resolve("teacher.safetensors");
        Safetensors.write(file, tensors, Map.of());
        return file;
    }

    private static Map<String, INDArray> model() {
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        tensors.put("conv1.weight", Nd4j.zeros(DataType.FLOAT, 2, 3, 3, 3));
        tensors.put("bn1.running_mean", Nd4j.zeros(DataType.FLOAT, 2));
        tensors.put("bn1.running_var", Nd4j.zeros(DataType.DOUBLE, 2));
        return tensors;
    }

    @Test
    void importCopiesEveryTensorIntoTheStateDictAndIgnoresTheStepCounter() throws IOException {
        Path file = pyTorchFile(Map.of());
        Map<String, INDArray> arrays = model();

        WeightImport.Report report = WeightImport.importInto(file, StateDict.of(arrays));

        assertEquals(List.of("conv1.weight", "bn1.running_mean", "bn1.running_var"), report.assigned());
        assertEquals(List.of("bn1.num_batches_tracked"), report.ignored());
        assertEquals(13f, arrays.get("conv1.weight").getFloat(0, 1, 1, 1));
        assertEquals(53f, arrays.get("conv1.weight").getFloat(1, 2, 2, 2));
        assertArrayEquals(new float[] {0.5f, -0.5f}, arrays.get("bn1.running_mean").data().asFloat());
        assertEquals(DataType.DOUBLE, arrays.get("bn1.running_var").dataType(), "the model's data type is kept");
        assertArrayEquals(new double[] {2, 3}, arrays.get("bn1.running_var").data().asDouble());
    }

    @Test
    void everyMismatchIsListedAtOnceAndTheModelStaysUnchanged() throws IOException {
        Path file = pyTorchFile(Map.of("fc.weight", Nd4j.zeros(DataType.FLOAT, 10, 4), "fc.bias", Nd4j.zeros(10)));
        Map<String, INDArray> arrays = model();
        arrays.put("conv1.weight", Nd4j.zeros(DataType.FLOAT, 2, 3, 5, 5));
        arrays.put("layer1.0.conv1.weight", Nd4j.zeros(DataType.FLOAT, 2, 2, 3, 3));
        arrays.put("layer1.0.bn1.weight", Nd4j.zeros(DataType.FLOAT, 2));
        arrays.put("layer1.0.bn1.num_batches_tracked", Nd4j.scalar(0L));

        StateDictMismatchException e = assertThrows(StateDictMismatchException.class,
                () -> WeightImport.importInto(file, arrays));

        assertEquals(List.of("layer1.0.conv1.weight", "layer1.0.bn1.weight"), e.missing());
        assertEquals(List.of("fc.bias", "fc.weight"), e.unexpected());
        assertEquals(List.of("conv1.weight: file [2, 3, 3, 3], model [2, 3, 5, 5]"), e.shapeMismatches());
        String message = e.getMessage();
        assertTrue(message.startsWith(file + " does not fit the model (5 problems):"), message);
        for (String name : List.of("layer1.0.conv1.weight", "layer1.0.bn1.weight", "fc.bias", "fc.weight",
                "conv1.weight: file [2, 3, 3, 3], model [2, 3, 5, 5]")) {
            assertTrue(message.contains(name), message);
        }
        assertEquals(0.0, arrays.get("bn1.running_mean").sumNumber().doubleValue(), "nothing was assigned");
    }

    @Test
    void dataParallelPrefixGetsAHint() throws IOException {
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        tensors.put("module.bn1.running_mean", Nd4j.zeros(DataType.FLOAT, 2));
        Path file = folder.resolve("parallel.safetensors");
        Safetensors.write(file, tensors, Map.of());
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        arrays.put("bn1.running_mean", Nd4j.zeros(DataType.FLOAT, 2));

        StateDictMismatchException e = assertThrows(StateDictMismatchException.class,
                () -> WeightImport.importInto(file, arrays));

        assertTrue(e.getMessage().contains("start with 'module.'"), e.getMessage());
    }

    @Test
    void exportedStateDictImportsIntoAFreshModel() throws IOException {
        Map<String, INDArray> trained = new LinkedHashMap<>();
        trained.put("conv1.weight", Nd4j.rand(DataType.FLOAT, 2, 3, 3, 3));
        trained.put("bn1.running_mean", Nd4j.rand(DataType.FLOAT, 2));
        trained.put("bn1.running_var", Nd4j.rand(DataType.FLOAT, 2));
        Path file = folder.resolve("student.safetensors");
        Safetensors.write(file, StateDict.of(trained), Map.of("epoch", "200"));
        Map<String, INDArray> fresh = model();

        WeightImport.importInto(file, StateDict.of(fresh));

        for (String name : trained.keySet()) {
            assertArrayEquals(trained.get(name).data().asFloat(), fresh.get(name).castTo(DataType.FLOAT).data().asFloat(),
                    name);
        }
    }

    @Test
    void integerTensorsForFloatingPointValuesAreRefusedByNameWhileTheStepCounterLoads() throws IOException {
        // as torch.save of a model whose weights were cast to int64: PyTorch's own counter stays I64
        Path file = pyTorchFile(Map.of("conv1.weight", Nd4j.arange(54).castTo(DataType.INT64).reshape(2, 3, 3, 3),
                "bn1.running_mean", Nd4j.createFromArray(new int[] {1, 0}).castTo(DataType.INT64)));
        Map<String, INDArray> arrays = model();

        StateDictMismatchException e = assertThrows(StateDictMismatchException.class,
                () -> WeightImport.importInto(file, arrays));

        assertEquals(List.of("conv1.weight: I64 in the file, floating point in the model",
                "bn1.running_mean: I64 in the file, floating point in the model"), e.dtypeMismatches());
        assertTrue(e.getMessage().startsWith(file + " does not fit the model (2 problems):"), e.getMessage());
        assertTrue(e.getMessage().contains("conv1.weight: I64 in the file"), e.getMessage());
        assertEquals(0.0, arrays.get("conv1.weight").sumNumber().doubleValue(), "nothing was assigned");
    }

    @Test
    void halfBrainAndDoublePrecisionTensorsLoadIntoAFloatModel() throws IOException {
        byte[] bytes = new HandWrittenSafetensors()
                .shorts(0x3C00, 0xC000) // F16 1, -2
                .shorts(0x3F80, 0xC040) // BF16 1, -3
                .doubles(0.25, -4)
                .longs(7)
                .file("""
                        {"a.weight": {"dtype": "F16", "shape": [2], "data_offsets": [0, 4]},
                         "b.weight": {"dtype": "BF16", "shape": [2], "data_offsets": [4, 8]},
                         "c.weight": {"dtype": "F64", "shape": [2], "data_offsets": [8, 24]},
                         "c.num_batches_tracked": {"dtype": "I64", "shape": [], "data_offsets": [24, 32]}}""", 0);
        Path file = folder.resolve("mixed.safetensors");
        java.nio.file.Files.write(file, bytes);
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (String name : List.of("a.weight", "b.weight", "c.weight")) {
            arrays.put(name, Nd4j.zeros(DataType.FLOAT, 2));
        }

        WeightImport.importInto(file, arrays);

        assertArrayEquals(new float[] {1, -2}, arrays.get("a.weight").data().asFloat());
        assertArrayEquals(new float[] {1, -3}, arrays.get("b.weight").data().asFloat());
        assertArrayEquals(new float[] {0.25f, -4}, arrays.get("c.weight").data().asFloat());
    }

    @Test
    void nanAndInfiniteValuesAreRefusedNamingTheTensorAndTheFile() throws IOException {
        Path file = pyTorchFile(Map.of("bn1.running_var", Nd4j.createFromArray(Float.NaN, Float.POSITIVE_INFINITY),
                "bn1.running_mean", Nd4j.createFromArray(0.5f, Float.NaN)));
        Map<String, INDArray> arrays = model();

        StateDictMismatchException e = assertThrows(StateDictMismatchException.class,
                () -> WeightImport.importInto(file, arrays));

        assertEquals(List.of("bn1.running_mean: 1 NaN of 2 values", "bn1.running_var: 1 NaN, 1 infinite of 2 values"),
                e.nonFinite());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("NaN or infinite values"), e.getMessage());
        assertEquals(0.0, arrays.get("bn1.running_mean").sumNumber().doubleValue(), "nothing was assigned");
    }

    @Test
    void doublesBeyondTheFloatRangeAreRefusedAsInfinite() throws IOException {
        byte[] bytes = new HandWrittenSafetensors().doubles(1e300, 1).file("""
                {"bn1.running_var": {"dtype": "F64", "shape": [2], "data_offsets": [0, 16]}}""", 0);
        Path file = folder.resolve("wide.safetensors");
        java.nio.file.Files.write(file, bytes);
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        arrays.put("bn1.running_var", Nd4j.zeros(DataType.FLOAT, 2));

        StateDictMismatchException e = assertThrows(StateDictMismatchException.class,
                () -> WeightImport.importInto(file, arrays));

        assertEquals(List.of("bn1.running_var: 1 infinite of 2 values"), e.nonFinite());
    }

    @Test
    void metadataNamingAnotherArchitectureIsRefusedEvenWhenNamesAndShapesFit() throws IOException {
        Map<String, INDArray> tensors = model();
        Path student = folder.resolve("student.safetensors");
        Safetensors.write(student, tensors, Map.of(WeightImport.MODEL_KEY, "student",
                WeightImport.ARCHITECTURE_KEY, "spiking-resnet8"));

        StateDictMismatchException e = assertThrows(StateDictMismatchException.class,
                () -> WeightImport.importInto(student, Safetensors.read(student), model(), Optional.of("resnet8")));

        assertEquals(Optional.of("spiking-resnet8 (model 'student'), not a resnet8"), e.otherModel());
        assertTrue(e.otherNetwork());
        assertTrue(e.getMessage().startsWith(student + " does not fit the model (1 problem):"), e.getMessage());
        assertTrue(e.getMessage().contains("its metadata says it holds a spiking-resnet8 (model 'student'), not a"
                + " resnet8"), e.getMessage());

        // the same architecture loads, and so does a file without Spikeforge's metadata (as PyTorch writes it)
        WeightImport.importInto(student, Safetensors.read(student), model(), Optional.of("spiking-resnet8"));
        Path plain = folder.resolve("plain.safetensors");
        Safetensors.write(plain, tensors, Map.of("format", "pt"));
        WeightImport.importInto(plain, Safetensors.read(plain), model(), Optional.of("resnet8"));
    }
}
