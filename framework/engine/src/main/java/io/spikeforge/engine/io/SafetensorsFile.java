package io.spikeforge.engine.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The content of a safetensors file.
 *
 * @param tensors the tensors in the file's data order: floating types as {@code FLOAT}, integer types as {@code INT64}
 * @param dtypes the type each tensor had in the file
 * @param metadata the free-form {@code __metadata__} entries (empty when absent)
 */
public record SafetensorsFile(Map<String, INDArray> tensors, Map<String, SafetensorsDtype> dtypes,
                              Map<String, String> metadata) {
    public SafetensorsFile {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        dtypes = Collections.unmodifiableMap(new LinkedHashMap<>(dtypes));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }
}
