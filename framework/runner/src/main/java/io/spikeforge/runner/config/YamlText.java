package io.spikeforge.runner.config;

import io.spikeforge.api.config.ValueText;
import io.spikeforge.api.config.YamlChoice;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Writes resolved values as YAML and as plain text. The output is block mappings with two-space
 * indentation and flow lists; strings are quoted whenever YAML would read them as something else.
 */
final class YamlText {
    private static final Pattern PLAIN_SAFE = Pattern.compile("[A-Za-z0-9_./][A-Za-z0-9_./-]*");
    private static final Resolver RESOLVER = new Resolver();

    private YamlText() {
    }

    /** A block mapping; nested non-empty maps become nested blocks, everything else a flow value. */
    static String write(Map<?, ?> mapping) {
        StringBuilder out = new StringBuilder();
        writeMapping(out, mapping, 0);
        return out.toString();
    }

    private static void writeMapping(StringBuilder out, Map<?, ?> mapping, int indent) {
        for (Map.Entry<?, ?> entry : mapping.entrySet()) {
            out.append(" ".repeat(indent)).append(entry.getKey()).append(':');
            if (entry.getValue() instanceof Map<?, ?> nested && !nested.isEmpty()) {
                out.append('\n');
                writeMapping(out, nested, indent + 2);
            } else if (entry.getValue() instanceof List<?> list && !list.isEmpty()
                    && list.stream().allMatch(item -> item instanceof Map<?, ?> map && !map.isEmpty())) {
                // a list of records (a sweep's arms): one block per item, "- " before its first key
                out.append('\n');
                for (Object item : list) {
                    StringBuilder block = new StringBuilder();
                    writeMapping(block, (Map<?, ?>) item, indent + 4);
                    out.append(" ".repeat(indent + 2)).append("- ").append(block.substring(indent + 4));
                }
            } else {
                out.append(' ').append(scalar(entry.getValue())).append('\n');
            }
        }
    }

    /**
     * One value as YAML flow text that reads back as the same value: null, booleans, integers,
     * doubles (always with a decimal point or exponent), strings (quoted when needed), choices, paths,
     * URIs, lists of these, and the empty map.
     */
    static String scalar(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Map<?, ?> map && map.isEmpty()) {
            return "{}";
        }
        if (value instanceof List<?> list) {
            return list.stream().map(YamlText::scalar).collect(Collectors.joining(", ", "[", "]"));
        }
        if (value instanceof Double number) {
            return yamlDouble(number);
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof YamlChoice choice) {
            return string(choice.yamlName());
        }
        return string(value.toString());
    }

    /**
     * One value as YAML flow text, mappings included ({@code {name: step, gamma: 0.1}}): a value as
     * it is typed after {@code key=} in an override.
     */
    static String flow(Object value) {
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().map(e -> e.getKey() + ": " + flow(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
        }
        if (value instanceof List<?> list) {
            return list.stream().map(YamlText::flow).collect(Collectors.joining(", ", "[", "]"));
        }
        return scalar(value);
    }

    /** One value as unquoted text, for flat key-value logs: lists as {@code [60, 120]}, null as {@code null}. */
    static String text(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(YamlText::text).collect(Collectors.joining(", ", "[", "]"));
        }
        if (value instanceof YamlChoice choice) {
            return choice.yamlName();
        }
        return String.valueOf(value);
    }

    /** A number for phrases about ranges: whole numbers without a decimal point ("[0, 1)"). */
    static String number(double value) {
        return ValueText.number(value);
    }

    private static String yamlDouble(double value) {
        if (Double.isNaN(value)) {
            return ".nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? ".inf" : "-.inf";
        }
        return Double.toString(value);
    }

    private static String string(String text) {
        if (PLAIN_SAFE.matcher(text).matches() && Tag.STR.equals(RESOLVER.resolve(NodeId.scalar, text, true))) {
            return text;
        }
        StringBuilder quoted = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\t' -> quoted.append("\\t");
                case '\r' -> quoted.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        quoted.append(String.format("\\x%02x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
