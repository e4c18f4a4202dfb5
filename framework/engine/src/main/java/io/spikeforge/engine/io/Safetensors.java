package io.spikeforge.engine.io;

import io.spikeforge.api.model.StateDict;
import io.spikeforge.common.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads and writes safetensors files, the format PyTorch users share weights in: an 8-byte
 * little-endian header length, a JSON header naming each tensor's dtype, shape and byte range, then
 * the raw little-endian data in C order.
 *
 * <p>Files are written as the reference implementation ({@code safetensors.torch.save_file})
 * writes them: tensors ordered by dtype (wider first, so I64 before F32) and then by name in byte
 * order, the header padded with spaces to a multiple of 8 bytes. The bytes depend only on the
 * tensors and metadata, never on the order they are given in.
 */
public final class Safetensors {
    private static final int LENGTH_BYTES = 8;

    private Safetensors() {
    }

    /**
     * Reads a whole file: floating types (F64, F32, F16, BF16) become {@code FLOAT} arrays, integer
     * types (I64, I32, I16, I8, U8, BOOL) {@code INT64} arrays.
     *
     * @throws SafetensorsFormatException naming the file when it is truncated, its header is
     *     corrupt, or it holds a dtype that cannot be read
     */
    public static SafetensorsFile read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such safetensors file");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileBytes = channel.size();
            if (fileBytes < LENGTH_BYTES) {
                throw new SafetensorsFormatException(file + ": " + fileBytes
                        + " bytes, too short for the 8-byte header length");
            }
            long headerBytes = readFully(channel, 0, LENGTH_BYTES, file).getLong();
            if (headerBytes < 0 || headerBytes > SafetensorsHeader.MAX_HEADER_BYTES) {
                throw new SafetensorsFormatException(file + ": header length " + Long.toUnsignedString(headerBytes)
                        + " exceeds the limit of " + SafetensorsHeader.MAX_HEADER_BYTES + " bytes");
            }
            if (headerBytes > fileBytes - LENGTH_BYTES) {
                throw new SafetensorsFormatException(file + ": header length " + headerBytes + " exceeds the "
                        + (fileBytes - LENGTH_BYTES) + " bytes that follow it (truncated or not a safetensors file)");
            }
            byte[] json = readFully(channel, LENGTH_BYTES, (int) headerBytes, file).array();
            long dataStart = LENGTH_BYTES + headerBytes;
            SafetensorsHeader header = SafetensorsHeader.parse(file, json, fileBytes - dataStart);
            List<String> unreadable = header.entries().stream().filter(e -> !e.dtype().isReadable())
                    .map(e -> e.name() + " (" + e.dtype() + ")").toList();
            if (!unreadable.isEmpty()) {
                throw new SafetensorsFormatException(file + ": cannot read tensors of these dtypes: "
                        + String.join(", ", unreadable));
            }
            Map<String, INDArray> tensors = new LinkedHashMap<>();
            Map<String, SafetensorsDtype> dtypes = new LinkedHashMap<>();
            for (SafetensorsHeader.Entry entry : header.entries()) {
                ByteBuffer data = readFully(channel, dataStart + entry.begin(),
                        Math.toIntExact(entry.end() - entry.begin()), file);
                tensors.put(entry.name(), toArray(entry, data));
                dtypes.put(entry.name(), entry.dtype());
            }
            return new SafetensorsFile(tensors, dtypes, header.metadata());
        }
    }

    /** Writes the tensors of a state dict, atomically; see {@link #toBytes}. */
    public static void write(Path file, StateDict stateDict, Map<String, String> metadata) throws IOException {
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        for (String name : stateDict.names()) {
            tensors.put(name, stateDict.get(name));
        }
        write(file, tensors, metadata);
    }

    /** Writes tensors, atomically (a temporary file renamed into place); see {@link #toBytes}. */
    public static void write(Path file, Map<String, INDArray> tensors, Map<String, String> metadata) throws IOException {
        Prepared prepared = prepare(tensors, metadata);
        AtomicFiles.write(file, out -> prepared.writeTo(out));
    }

    /**
     * The bytes of a safetensors file holding the tensors: floating tensors as F32, integer
     * tensors as I64. The order of the arguments' entries does not matter.
     *
     * @param metadata written as {@code __metadata__} (keys sorted) when not empty
     */
    public static byte[] toBytes(Map<String, INDArray> tensors, Map<String, String> metadata) {
        Prepared prepared = prepare(tensors, metadata);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            prepared.writeTo(out);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return out.toByteArray();
    }

    private static Prepared prepare(Map<String, INDArray> tensors, Map<String, String> metadata) {
        List<Map.Entry<String, INDArray>> ordered = new ArrayList<>(tensors.entrySet());
        ordered.sort(Comparator.<Map.Entry<String, INDArray>, SafetensorsDtype>comparing(e -> dtypeFor(e.getKey(), e.getValue()))
                .reversed()
                .thenComparing(e -> e.getKey().getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned));
        List<SafetensorsHeader.Entry> entries = new ArrayList<>();
        List<INDArray> arrays = new ArrayList<>();
        long offset = 0;
        for (Map.Entry<String, INDArray> tensor : ordered) {
            SafetensorsDtype dtype = dtypeFor(tensor.getKey(), tensor.getValue());
            long[] shape = tensor.getValue().shape();
            long bytes = tensor.getValue().length() * dtype.bytes();
            entries.add(new SafetensorsHeader.Entry(tensor.getKey(), dtype, shape, offset, offset + bytes));
            arrays.add(tensor.getValue());
            offset += bytes;
        }
        byte[] header = new SafetensorsHeader(entries, new TreeMap<>(metadata)).toBytes();
        return new Prepared(header, entries, arrays);
    }

    private static SafetensorsDtype dtypeFor(String name, INDArray array) {
        DataType type = array.dataType();
        if (type.isFPType()) {
            return SafetensorsDtype.F32;
        }
        if (type.isIntType()) {
            return SafetensorsDtype.I64;
        }
        throw new IllegalArgumentException("tensor '" + name + "' has data type " + type
                + "; only floating (written as F32) and integer (written as I64) tensors can be written");
    }

    private record Prepared(byte[] header, List<SafetensorsHeader.Entry> entries, List<INDArray> arrays) {
        void writeTo(OutputStream out) throws IOException {
            out.write(ByteBuffer.allocate(LENGTH_BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
            out.write(header);
            for (int i = 0; i < entries.size(); i++) {
                out.write(littleEndianBytes(entries.get(i).dtype(), arrays.get(i)));
            }
        }
    }

    private static byte[] littleEndianBytes(SafetensorsDtype dtype, INDArray array) {
        ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(array.length() * dtype.bytes())).order(ByteOrder.LITTLE_ENDIAN);
        if (array.isEmpty()) {
            return buffer.array();
        }
        if (dtype == SafetensorsDtype.F32) {
            buffer.asFloatBuffer().put(array.castTo(DataType.FLOAT).dup('c').data().asFloat());
        } else {
            buffer.asLongBuffer().put(array.castTo(DataType.INT64).dup('c').data().asLong());
        }
        return buffer.array();
    }

    private static INDArray toArray(SafetensorsHeader.Entry entry, ByteBuffer data) {
        long[] shape = entry.shape();
        int count = Math.toIntExact(entry.elementCount());
        DataType type = entry.dtype().isFloating() ? DataType.FLOAT : DataType.INT64;
        if (count == 0) {
            return Nd4j.create(type, shape);
        }
        if (entry.dtype().isFloating()) {
            float[] values = new float[count];
            switch (entry.dtype()) {
                case F32 -> data.asFloatBuffer().get(values);
                case F64 -> {
                    for (int i = 0; i < count; i++) {
                        values[i] = (float) data.getDouble();
                    }
                }
                case F16 -> {
                    for (int i = 0; i < count; i++) {
                        values[i] = HalfFloats.halfToFloat(data.getShort());
                    }
                }
                case BF16 -> {
                    for (int i = 0; i < count; i++) {
                        values[i] = Float.intBitsToFloat((data.getShort() & 0xFFFF) << 16);
                    }
                }
                default -> throw new IllegalStateException("not a floating dtype: " + entry.dtype());
            }
            return shape.length == 0 ? Nd4j.scalar(values[0]) : Nd4j.create(values, shape, type);
        }
        long[] values = new long[count];
        for (int i = 0; i < count; i++) {
            values[i] = switch (entry.dtype()) {
                case I64 -> data.getLong();
                case I32 -> data.getInt();
                case I16 -> data.getShort();
                case I8 -> data.get();
                case U8, BOOL -> data.get() & 0xFF;
                default -> throw new IllegalStateException("not a readable integer dtype: " + entry.dtype());
            };
        }
        return shape.length == 0 ? Nd4j.scalar(values[0]) : Nd4j.create(values, shape, type);
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length, Path file) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new SafetensorsFormatException(file + ": ended early (did it change while it was read?)");
            }
        }
        return buffer.flip();
    }
}
