package io.spikeforge.engine.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Builds safetensors bytes by hand from the format's description, independently of the code under
 * test: an unsigned 64-bit little-endian header length, the JSON header (optionally padded with
 * spaces), then the little-endian data.
 */
final class HandWrittenSafetensors {
    private final ByteBuffer data = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

    HandWrittenSafetensors floats(float... values) {
        for (float value : values) {
            data.putFloat(value);
        }
        return this;
    }

    HandWrittenSafetensors doubles(double... values) {
        for (double value : values) {
            data.putDouble(value);
        }
        return this;
    }

    /** Raw 16-bit patterns (F16, BF16). */
    HandWrittenSafetensors shorts(int... bits) {
        for (int value : bits) {
            data.putShort((short) value);
        }
        return this;
    }

    HandWrittenSafetensors longs(long... values) {
        for (long value : values) {
            data.putLong(value);
        }
        return this;
    }

    /** The file: header length, the JSON followed by {@code padding} spaces, then the data written so far. */
    byte[] file(String json, int padding) {
        byte[] header = (json + " ".repeat(padding)).getBytes(StandardCharsets.UTF_8);
        return rawFile(header.length, header, data.position());
    }

    /** A file whose length field says {@code declaredHeaderLength}, whatever follows. */
    byte[] rawFile(long declaredHeaderLength, byte[] header, int dataBytes) {
        ByteBuffer file = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        file.putLong(declaredHeaderLength);
        file.put(header);
        file.put(data.array(), 0, dataBytes);
        return file.array();
    }
}
