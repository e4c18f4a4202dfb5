package io.spikeforge.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SafetensorsTest {
    @TempDir
    Path folder;

    private static Map<String, INDArray> resNetLikeTensors() {
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        tensors.put("conv1.weight", Nd4j.rand(DataType.FLOAT, 4, 3, 3, 3));
        tensors.put("bn1.weight", Nd4j.rand(DataType.FLOAT, 4));
        tensors.put("bn1.running_mean", Nd4j.rand(DataType.FLOAT, 4));
        tensors.put("bn1.running_var", Nd4j.rand(DataType.FLOAT, 4).addi(0.5));
        tensors.put("bn1.num_batches_tracked", Nd4j.scalar(12L));
        tensors.put("fc.weight", Nd4j.rand(DataType.FLOAT, 4, 10).transpose()); // a view in 'f' order
        tensors.put("fc.bias", Nd4j.rand(DataType.DOUBLE, 10));
        return tensors;
    }

    @Test
    void roundTripGivesTheSameTensorsAndDeterministicBytes() throws IOException {
        Map<String, INDArray> tensors = resNetLikeTensors();
        Path file = folder.resolve("model.safetensors");

        Safetensors.write(file, tensors, Map.of("format", "pt", "source", "spikeforge"));
        SafetensorsFile read = Safetensors.read(file);

        assertEquals(Map.of("format", "pt", "source", "spikeforge"), read.metadata());
        assertEquals(List.of("bn1.num_batches_tracked", "bn1.running_mean", "bn1.running_var", "bn1.weight",
                "conv1.weight", "fc.bias", "fc.weight"), List.copyOf(read.tensors().keySet()),
                "I64 before F32, then names in byte order");
        for (Map.Entry<String, INDArray> entry : tensors.entrySet()) {
            INDArray actual = read.tensors().get(entry.getKey());
            assertArrayEquals(entry.getValue().shape(), actual.shape(), entry.getKey());
            if (entry.getValue().dataType().isIntType()) {
                assertEquals(DataType.INT64, actual.dataType());
                assertEquals(SafetensorsDtype.I64, read.dtypes().get(entry.getKey()));
                assertEquals(12L, actual.getLong(0));
            } else {
                assertEquals(DataType.FLOAT, actual.dataType());
                assertEquals(SafetensorsDtype.F32, read.dtypes().get(entry.getKey()));
                assertArrayEquals(entry.getValue().castTo(DataType.FLOAT).dup('c').data().asFloat(),
                        actual.data().asFloat(), entry.getKey());
            }
        }

        byte[] bytes = Files.readAllBytes(file);
        Map<String, INDArray> reversed = new LinkedHashMap<>();
        List<String> names = List.copyOf(tensors.keySet());
        for (int i = names.size() - 1; i >= 0; i--) {
            reversed.put(names.get(i), tensors.get(names.get(i)));
        }
        assertArrayEquals(bytes, Safetensors.toBytes(tensors, Map.of("source", "spikeforge", "format", "pt")));
        assertArrayEquals(bytes, Safetensors.toBytes(reversed, Map.of("format", "pt", "source", "spikeforge")));
        assertEquals(0, readHeaderLength(bytes) % 8, "header padded to a multiple of 8");
    }

    @Test
    void bytesAreThoseOfTheReferenceWriter() {
        INDArray attention = Nd4j.create(new float[] {0, 1, 2, 3, 4, 5}, new long[] {1, 2, 3}, 'c');
        HandWrittenSafetensors expected = new HandWrittenSafetensors().floats(0, 1, 2, 3, 4, 5);

        assertArrayEquals(expected.file("{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}", 0),
                Safetensors.toBytes(Map.of("attn.0", attention), Map.of()));
        assertArrayEquals(new HandWrittenSafetensors().file("{}", 6), Safetensors.toBytes(Map.of(), Map.of()));
        assertArrayEquals(new HandWrittenSafetensors().file("{\"__metadata__\":{\"framework\":\"pt\"}}", 5),
                Safetensors.toBytes(Map.of(), Map.of("framework", "pt")));
    }

    @Test
    void readsAFileWrittenByHandWithEveryFloatTypeAndI64() throws IOException {
        byte[] bytes = new HandWrittenSafetensors()
                .floats(1.5f, -2.25f, 3.0f, 0.125f) // conv.weight: bytes 0-16
                .shorts(0x3C00, 0xC000, 0x3800, 0x7BFF, 0x0001, 0x8000) // half (F16): 16-28
                .shorts(0x3F80, 0xC040) // brain (BF16): 28-32
                .doubles(0.1, -1e10) // wide (F64): 32-48
                .longs(7) // bn.num_batches_tracked (I64, scalar): 48-56
                .file("""
                        {"bn.num_batches_tracked": {"dtype": "I64", "shape": [], "data_offsets": [48, 56]},
                         "__metadata__": {"format": "pt"},
                         "wide": {"shape": [2], "dtype": "F64", "data_offsets": [32, 48]},
                         "half": {"dtype": "F16", "shape": [2, 3], "data_offsets": [16, 28]},
                         "conv.weight": {"dtype": "F32", "shape": [2, 1, 1, 2], "data_offsets": [0, 16]},
                         "brain": {"dtype": "BF16", "shape": [2], "data_offsets": [28, 32]}}""", 13);
        Path file = folder.resolve("torch.safetensors");
        Files.write(file, bytes);

        SafetensorsFile read = Safetensors.read(file);

        assertEquals(List.of("conv.weight", "half", "brain", "wide", "bn.num_batches_tracked"),
                List.copyOf(read.tensors().keySet()), "data order");
        assertEquals(Map.of("format", "pt"), read.metadata());
        INDArray conv = read.tensors().get("conv.weight");
        assertArrayEquals(new long[] {2, 1, 1, 2}, conv.shape());
        assertEquals(-2.25f, conv.getFloat(0, 0, 0, 1));
        assertEquals(3.0f, conv.getFloat(1, 0, 0, 0));
        INDArray half = read.tensors().get("half");
        assertArrayEquals(new long[] {2, 3}, half.shape());
        assertEquals(DataType.FLOAT, half.dataType());
        assertArrayEquals(new float[] {1f, -2f, 0.5f, 65504f, 0x1.0p-24f, -0f}, half.data().asFloat());
        assertArrayEquals(new float[] {1f, -3f}, read.tensors().get("brain").data().asFloat());
        assertArrayEquals(new float[] {0.1f, -1e10f}, read.tensors().get("wide").data().asFloat());
        INDArray counter = read.tensors().get("bn.num_batches_tracked");
        assertEquals(0, counter.rank());
        assertEquals(DataType.INT64, counter.dataType());
        assertEquals(7L, counter.getLong(0));
        assertEquals(SafetensorsDtype.F16, read.dtypes().get("half"));
        assertEquals(SafetensorsDtype.BF16, read.dtypes().get("brain"));
    }

    @Test
    void truncatedDataIsNamed() throws IOException {
        byte[] bytes = Safetensors.toBytes(resNetLikeTensors(), Map.of());
        Path file = write(Arrays.copyOf(bytes, bytes.length - 4));

        String message = assertThrows(SafetensorsFormatException.class, () -> Safetensors.read(file)).getMessage();

        assertTrue(message.startsWith(file + ": tensor 'fc.weight' has data_offsets ["), message);
        assertTrue(message.endsWith("beyond the data section's " + (bytes.length - 4 - 8 - readHeaderLength(bytes))
                + " bytes"), message);
    }

    @Test
    void headerLengthBeyondTheFileIsNamed() throws IOException {
        byte[] header = "{\"a\":{\"dtype\":\"F32\"".getBytes(StandardCharsets.UTF_8);
        Path file = write(new HandWrittenSafetensors().rawFile(64, header, 0));

        assertEquals(file + ": header length 64 exceeds the 19 bytes that follow it (truncated or not a safetensors file)",
                assertThrows(SafetensorsFormatException.class, () -> Safetensors.read(file)).getMessage());
    }

    @Test
    void absurdHeaderLengthsAreRefusedBeforeAllocating() throws IOException {
        Path huge = write(new HandWrittenSafetensors().rawFile(1L << 40, new byte[16], 0));
        assertEquals(huge + ": header length 1099511627776 exceeds the limit of 100000000 bytes",
                assertThrows(SafetensorsFormatException.class, () -> Safetensors.read(huge)).getMessage());

        Path negative = write(new HandWrittenSafetensors().rawFile(-1L, new byte[16], 0));
        assertEquals(negative + ": header length 18446744073709551615 exceeds the limit of 100000000 bytes",
                assertThrows(SafetensorsFormatException.class, () -> Safetensors.read(negative)).getMessage());

        Path tiny = write(new byte[] {1, 2, 3});
        assertEquals(tiny + ": 3 bytes, too short for the 8-byte header length",
                assertThrows(SafetensorsFormatException.class, () -> Safetensors.read(tiny)).getMessage());
    }

    @Test
    void overlappingOffsetsAreNamed() throws IOException {
        Path file = write(new HandWrittenSafetensors().floats(1, 2, 3).file("""
                {"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                 "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}""", 0));

        assertEquals(file + ": tensor 'b' overlaps the previous tensor: its data starts at 4, before 8",
                assertThrows(SafetensorsFormatException.class, () -> Safetensors.read(file)).getMessage());
    }

    @Test
    void dataNotCoveredByTensorsIsAnError() throws IOException {
        Path gap = write(new HandWrittenSafetensors().floats(1, 2, 3, 4, 5).file("""
                {"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                 "b": {"dtype": "F32", "shape": [2], "data_offsets": [12, 20]}}""", 0));
        assertEquals(gap + ": bytes 8 to 12 of the data section belong to no tensor",
                assertThrows(SafetensorsFormatException.class, () -> Safetensors.read(gap)).getMessage());

        Path tail = write(new HandWrittenSafetensors().floats(1, 2, 3).file("""
                {"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}""", 0));
        assertEquals(tail + ": the data section has 12 bytes, but the tensors cover 8",
                assertThrows(SafetensorsFormatException.class, () -> Safetensors.read(tail)).getMessage());
    }

    @Test
    void offsetsThatDisagreeWithShapeAndDtypeAreNamed() throws IOException {
        Path file = write(new HandWrittenSafetensors().floats(1, 2).file("""
                {"a": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}}""", 0));

        assertEquals(file + ": tensor 'a' (F32 [3]) needs 12 bytes, but data_offsets [0, 8] span 8",
                assertThrows(SafetensorsFormatException.class, () -> Safetensors.read(file)).getMessage());
    }

    @Test
    void corruptHeadersAreNamed() throws IOException {
        assertHeaderError("{\"a\": {\"dtype\": \"F32\", ", "the header is not valid JSON");
        assertHeaderError("[1, 2]", "the header is not a JSON object");
        assertHeaderError("{\"a\": {\"dtype\": \"F32\", \"shape\": [0], \"data_offsets\": [0, 0]}, "
                + "\"a\": {\"dtype\": \"F32\", \"shape\": [0], \"data_offsets\": [0, 0]}}", "Duplicate field 'a'");
        assertHeaderError("{\"a\": {\"dtype\": \"F128\", \"shape\": [], \"data_offsets\": [0, 0]}}",
                "tensor 'a' has unknown dtype 'F128'");
        assertHeaderError("{\"a\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 0]}}",
                "tensor 'a': shape holds '-1', expected non-negative integers");
        assertHeaderError("{\"a\": {\"dtype\": \"F32\", \"data_offsets\": [0, 0]}}",
                "tensor 'a' needs dtype, shape and data_offsets");
        assertHeaderError("{\"a\": {\"dtype\": \"U16\", \"shape\": [0], \"data_offsets\": [0, 0]}, "
                + "\"b\": {\"dtype\": \"U32\", \"shape\": [0], \"data_offsets\": [0, 0]}}",
                "cannot read tensors of these dtypes: a (U16), b (U32)");
        assertHeaderError("{\"__metadata__\": {\"epochs\": 200}}", "__metadata__.epochs is not a string");
        assertHeaderError("{} {}", "content after the header's JSON object");
    }

    private void assertHeaderError(String json, String expected) throws IOException {
        Path file = write(new HandWrittenSafetensors().file(json, 0));
        String message = assertThrows(SafetensorsFormatException.class, () -> Safetensors.read(file)).getMessage();
        assertTrue(message.startsWith(file + ": ") && message.contains(expected), message);
    }

    private Path write(byte[] bytes) throws IOException {
        Path file = Files.createTempFile(folder, "weights", ".safetensors");
        Files.write(file, bytes);
        return file;
    }

    private static long readHeaderLength(byte[] bytes) {
        return ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }
}
