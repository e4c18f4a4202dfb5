package io.spikeforge.runner.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Files Spikeforge writes for itself in YAML (a sweep's {@code sweep.yaml}), written and read with
 * the experiment files' writer and safe reader, as plain values: maps, lists, strings, numbers,
 * booleans and null.
 */
public final class PlainYaml {
    private PlainYaml() {
    }

    /**
     * A document of block mappings; lists of mappings are block lists, other lists flow lists;
     * strings are quoted when YAML would read them as something else.
     */
    public static String write(Map<String, ?> document) {
        return YamlText.write(document);
    }

    /** {@code value} as it is typed after {@code key=} in an override, such as {@code {name: step}}. */
    public static String flow(Object value) {
        return YamlText.flow(value);
    }

    /**
     * Reads a file's top-level mapping as plain values.
     *
     * @throws ConfigException when it cannot be read, is not YAML or not a mapping (file, line, what was expected)
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> read(Path file) throws ConfigException {
        ConfigErrors errors = new ConfigErrors();
        Optional<ConfigNode.Mapping> document = YamlReader.readFile(file, errors);
        if (document.isEmpty() || !errors.isEmpty()) {
            throw errors.toException();
        }
        return (Map<String, Object>) ConfigNode.toPlain(document.get());
    }
}
