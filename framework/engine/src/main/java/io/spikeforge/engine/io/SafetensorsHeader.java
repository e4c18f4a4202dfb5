package io.spikeforge.engine.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON header of a safetensors file: parsed strictly (valid UTF-8, one object, no duplicate
 * keys, offsets that tile the data section exactly) and written as the reference implementation
 * writes it (compact, {@code __metadata__} first, then tensors in data order, padded with spaces
 * to a multiple of 8 bytes).
 */
final class SafetensorsHeader {
    static final String METADATA_KEY = "__metadata__";
    /** The reference implementation refuses larger headers; so do we, before allocating one. */
    static final long MAX_HEADER_BYTES = 100_000_000;
    static final int ALIGNMENT = 8;

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /**
     * One tensor's entry.
     *
     * @param begin first byte, relative to the start of the data section
     * @param end one past the last byte
     */
    record Entry(String name, SafetensorsDtype dtype, long[] shape, long begin, long end) {
        long elementCount() {
            long count = 1;
            for (long dimension : shape) {
                count = Math.multiplyExact(count, dimension);
            }
            return count;
        }
    }

    private final List<Entry> entries;
    private final Map<String, String> metadata;

    SafetensorsHeader(List<Entry> entries, Map<String, String> metadata) {
        this.entries = List.copyOf(entries);
        this.metadata = new LinkedHashMap<>(metadata);
    }

    /** The entries in data order. */
    List<Entry> entries() {
        return entries;
    }

    Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Parses and validates a header against the size of the data section that follows it.
     *
     * @throws SafetensorsFormatException naming the file and the first problem found
     */
    static SafetensorsHeader parse(Path file, byte[] json, long dataBytes) throws SafetensorsFormatException {
        List<Entry> entries = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new SafetensorsFormatException(file + ": the header is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if (name.equals(METADATA_KEY)) {
                    parseMetadata(file, parser, metadata);
                } else {
                    entries.add(parseEntry(file, parser, name));
                }
            }
            if (parser.nextToken() != null) {
                throw new SafetensorsFormatException(file + ": content after the header's JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new SafetensorsFormatException(file + ": the header is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new SafetensorsFormatException(file + ": the header cannot be parsed: " + e.getMessage(), e);
        }
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        validateLayout(file, entries, dataBytes);
        return new SafetensorsHeader(entries, metadata);
    }

    private static void parseMetadata(Path file, JsonParser parser, Map<String, String> metadata) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw new SafetensorsFormatException(file + ": " + METADATA_KEY + " is not an object of strings");
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            if (parser.nextToken() != JsonToken.VALUE_STRING) {
                throw new SafetensorsFormatException(file + ": " + METADATA_KEY + "." + key + " is not a string");
            }
            metadata.put(key, parser.getText());
        }
    }

    private static Entry parseEntry(Path file, JsonParser parser, String name) throws IOException {
        String where = file + ": tensor '" + name + "'";
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw new SafetensorsFormatException(where + " is not an object");
        }
        SafetensorsDtype dtype = null;
        long[] shape = null;
        long[] offsets = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "dtype" -> dtype = parseDtype(where, parser);
                case "shape" -> shape = parseNaturals(where, "shape", parser);
                case "data_offsets" -> offsets = parseNaturals(where, "data_offsets", parser);
                default -> parser.skipChildren(); // fields later versions may add
            }
        }
        if (dtype == null || shape == null || offsets == null) {
            throw new SafetensorsFormatException(where + " needs dtype, shape and data_offsets");
        }
        if (offsets.length != 2 || offsets[0] > offsets[1]) {
            throw new SafetensorsFormatException(where + " has data_offsets " + Arrays.toString(offsets)
                    + ", expected [begin, end] with begin <= end");
        }
        return new Entry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static SafetensorsDtype parseDtype(String where, JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            throw new SafetensorsFormatException(where + ": dtype is not a string");
        }
        String text = parser.getText();
        try {
            return SafetensorsDtype.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw new SafetensorsFormatException(where + " has unknown dtype '" + text + "'");
        }
    }

    private static long[] parseNaturals(String where, String field, JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw new SafetensorsFormatException(where + ": " + field + " is not an array");
        }
        List<Long> values = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    || parser.getLongValue() < 0) {
                throw new SafetensorsFormatException(where + ": " + field + " holds '" + parser.getText()
                        + "', expected non-negative integers");
            }
            values.add(parser.getLongValue());
        }
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    /** Each tensor's byte range must fit its dtype and shape, and the ranges must tile the data section. */
    private static void validateLayout(Path file, List<Entry> entries, long dataBytes) throws SafetensorsFormatException {
        long expectedBegin = 0;
        for (Entry entry : entries) {
            String where = file + ": tensor '" + entry.name() + "'";
            long size;
            try {
                size = Math.multiplyExact(entry.elementCount(), entry.dtype().bytes());
            } catch (ArithmeticException e) {
                throw new SafetensorsFormatException(where + " has a shape too large: " + Arrays.toString(entry.shape()));
            }
            if (entry.end() - entry.begin() != size) {
                throw new SafetensorsFormatException(where + " (" + entry.dtype() + " " + Arrays.toString(entry.shape())
                        + ") needs " + size + " bytes, but data_offsets [" + entry.begin() + ", " + entry.end() + "] span "
                        + (entry.end() - entry.begin()));
            }
            if (entry.end() > dataBytes) {
                throw new SafetensorsFormatException(where + " has data_offsets [" + entry.begin() + ", " + entry.end()
                        + "] beyond the data section's " + dataBytes + " bytes");
            }
            if (entry.begin() < expectedBegin) {
                throw new SafetensorsFormatException(where + " overlaps the previous tensor: its data starts at "
                        + entry.begin() + ", before " + expectedBegin);
            }
            if (entry.begin() > expectedBegin) {
                throw new SafetensorsFormatException(file + ": bytes " + expectedBegin + " to " + entry.begin()
                        + " of the data section belong to no tensor");
            }
            expectedBegin = entry.end();
        }
        if (expectedBegin != dataBytes) {
            throw new SafetensorsFormatException(file + ": the data section has " + dataBytes
                    + " bytes, but the tensors cover " + expectedBegin);
        }
    }

    /** The header as written to a file: JSON, padded with spaces to a multiple of {@value #ALIGNMENT} bytes. */
    byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(bytes)) {
            json.writeStartObject();
            if (!metadata.isEmpty()) {
                json.writeObjectFieldStart(METADATA_KEY);
                for (Map.Entry<String, String> entry : metadata.entrySet()) {
                    json.writeStringField(entry.getKey(), entry.getValue());
                }
                json.writeEndObject();
            }
            for (Entry entry : entries) {
                json.writeObjectFieldStart(entry.name());
                json.writeStringField("dtype", entry.dtype().name());
                json.writeFieldName("shape");
                json.writeArray(entry.shape(), 0, entry.shape().length);
                json.writeFieldName("data_offsets");
                json.writeArray(new long[] {entry.begin(), entry.end()}, 0, 2);
                json.writeEndObject();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to memory failed", e);
        }
        int padding = (ALIGNMENT - bytes.size() % ALIGNMENT) % ALIGNMENT;
        for (int i = 0; i < padding; i++) {
            bytes.write(' ');
        }
        return bytes.toByteArray();
    }
}
