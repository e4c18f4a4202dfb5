package io.spikeforge.tracking;

import io.spikeforge.common.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/**
 * The {@code meta.yaml} files of MLflow's file store, written as MLflow's
 * {@code yaml.safe_dump(..., default_flow_style=False, sort_keys=True)} writes them: block style,
 * keys sorted, strings quoted only where YAML would read them as something else ({@code '0'}).
 */
final class MetaYaml {
    static final String FILE_NAME = "meta.yaml";

    private MetaYaml() {
    }

    static void write(Path dir, Map<String, Object> fields) throws IOException {
        AtomicFiles.write(dir.resolve(FILE_NAME), dump(fields).getBytes(StandardCharsets.UTF_8), dir);
    }

    static String dump(Map<String, Object> fields) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setAllowUnicode(true);
        options.setWidth(Integer.MAX_VALUE);
        return new Yaml(new Representer(options), options).dump(new TreeMap<>(fields));
    }

    /** The fields of {@code dir/meta.yaml}. */
    static Map<String, Object> read(Path dir) throws IOException {
        String text = Files.readString(dir.resolve(FILE_NAME));
        Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        if (!(loaded instanceof Map<?, ?> map)) {
            throw new IOException(dir.resolve(FILE_NAME) + " is not a YAML mapping");
        }
        Map<String, Object> fields = new TreeMap<>();
        map.forEach((key, value) -> fields.put(String.valueOf(key), value));
        return fields;
    }

    static String string(Map<String, Object> fields, String key) throws IOException {
        Object value = fields.get(key);
        if (value == null) {
            throw new IOException("meta.yaml has no " + key);
        }
        // old MLflow versions wrote experiment ids as integers
        return String.valueOf(value);
    }

    static Long optionalLong(Map<String, Object> fields, String key) {
        return fields.get(key) instanceof Number n ? n.longValue() : null;
    }
}
