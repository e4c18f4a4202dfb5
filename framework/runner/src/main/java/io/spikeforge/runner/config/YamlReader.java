package io.spikeforge.runner.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Reads YAML into {@link ConfigNode} trees. Only SnakeYAML's composer runs, which builds a node tree
 * and never instantiates classes; scalars are converted with the safe constructor's rules, and any
 * tag beyond plain YAML values is refused.
 */
final class YamlReader {
    /** Anchors are handy for sharing a block; many aliases to collections are only useful for attacks. */
    private static final int MAX_ALIASES_FOR_COLLECTIONS = 10;
    private static final int MAX_NESTING_DEPTH = 50;

    private YamlReader() {
    }

    /** The location of the start of a file, where problems with absent top-level keys are reported. */
    static ConfigLocation startOf(Path file) {
        return new ConfigLocation.InFile(file, 1, 1);
    }

    /**
     * Reads an experiment file.
     *
     * @return the top-level mapping, or empty when the file cannot be read or parsed (the reason is in
     *     {@code errors})
     */
    static Optional<ConfigNode.Mapping> readFile(Path file, ConfigErrors errors) {
        ConfigLocation whole = ConfigLocation.InFile.wholeFile(file);
        String text;
        try {
            if (Files.isDirectory(file)) {
                errors.add(whole, "", "is a directory, not an experiment file");
                return Optional.empty();
            }
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            errors.add(whole, "", "experiment file not found"
                    + (file.isAbsolute() ? "" : " (looked for " + file.toAbsolutePath().normalize() + ")"));
            return Optional.empty();
        } catch (AccessDeniedException e) {
            errors.add(whole, "", "cannot read the experiment file: permission denied");
            return Optional.empty();
        } catch (CharacterCodingException e) {
            errors.add(whole, "", "cannot read the experiment file: it is not UTF-8 text");
            return Optional.empty();
        } catch (IOException e) {
            errors.add(whole, "", "cannot read the experiment file: " + e.getMessage());
            return Optional.empty();
        }
        Function<Mark, ConfigLocation> locate =
                mark -> new ConfigLocation.InFile(file, mark.getLine() + 1, mark.getColumn() + 1);
        Optional<ConfigNode> document = parse(text, locate, whole, "", errors, "YAML syntax error: ");
        if (document.isEmpty()) {
            return Optional.empty();
        }
        ConfigNode root = document.get();
        if (root instanceof ConfigNode.Scalar scalar && scalar.isNull()) {
            return Optional.of(ConfigNode.Mapping.empty(startOf(file)));
        }
        if (!(root instanceof ConfigNode.Mapping mapping)) {
            errors.add(root.location(), "", "expected a mapping of sections (experiment, dataset, ...), got "
                    + ConfigNode.describe(root));
            return Optional.empty();
        }
        return Optional.of(mapping);
    }

    /**
     * Reads a command-line override's value, a YAML flow value; every node is located at the override.
     *
     * @return the value (an empty text is null), or empty when it is not valid YAML
     */
    static Optional<ConfigNode> readValue(String text, ConfigLocation.InOverride override, String keyPath,
                                          ConfigErrors errors) {
        return parse(text, mark -> override, override, keyPath, errors, "the value is not valid YAML: ");
    }

    private static Optional<ConfigNode> parse(String text, Function<Mark, ConfigLocation> locate,
                                              ConfigLocation whole, String keyPath, ConfigErrors errors,
                                              String syntaxPrefix) {
        LoaderOptions options = loaderOptions();
        Node node;
        try {
            node = new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()),
                    new DumperOptions(), options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            errors.add(mark == null ? whole : locate.apply(mark), keyPath, syntaxPrefix + syntaxMessage(e));
            return Optional.empty();
        } catch (YAMLException e) {
            errors.add(whole, keyPath, syntaxPrefix + oneLine(e.getMessage()));
            return Optional.empty();
        }
        if (node == null) {
            return Optional.of(new ConfigNode.Scalar(null, "", whole));
        }
        return Optional.of(new Converter(locate, errors).convert(node, keyPath));
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        // Duplicate keys are detected while converting, where both places are known.
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        options.setMaxAliasesForCollections(MAX_ALIASES_FOR_COLLECTIONS);
        options.setNestingDepthLimit(MAX_NESTING_DEPTH);
        options.setMergeOnCompose(false);
        return options;
    }

    private static String syntaxMessage(MarkedYAMLException e) {
        String problem = oneLine(e.getProblem() == null ? "" : e.getProblem());
        if (e.getContext() == null || e.getContextMark() == null) {
            return problem;
        }
        Mark context = e.getContextMark();
        return problem + " (" + oneLine(e.getContext()) + " at line " + (context.getLine() + 1) + ", column "
                + (context.getColumn() + 1) + ")";
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s*\\n\\s*", " ").trim();
    }

    /** Turns SnakeYAML nodes into config nodes, reporting what plain YAML values cannot express. */
    private static final class Converter {
        private final Function<Mark, ConfigLocation> locate;
        private final ConfigErrors errors;
        private final ScalarConstructor scalars = new ScalarConstructor();
        // An alias shares its anchor's node; converting each node once keeps aliases from multiplying work.
        private final Map<Node, ConfigNode> converted = new IdentityHashMap<>();

        Converter(Function<Mark, ConfigLocation> locate, ConfigErrors errors) {
            this.locate = locate;
            this.errors = errors;
        }

        ConfigNode convert(Node node, String path) {
            ConfigNode done = converted.get(node);
            if (done == null) {
                done = convertOnce(node, path);
                converted.put(node, done);
            }
            return done;
        }

        private ConfigNode convertOnce(Node node, String path) {
            ConfigLocation location = locate.apply(node.getStartMark());
            if (node instanceof MappingNode mapping) {
                if (!Tag.MAP.equals(node.getTag())) {
                    errors.add(location, path, unsupportedTag(node));
                }
                return mapping(mapping, location, path);
            }
            if (node instanceof SequenceNode sequence) {
                if (!Tag.SEQ.equals(node.getTag())) {
                    errors.add(location, path, unsupportedTag(node));
                }
                List<ConfigNode> items = new ArrayList<>();
                List<Node> values = sequence.getValue();
                for (int i = 0; i < values.size(); i++) {
                    items.add(convert(values.get(i), path + "[" + i + "]"));
                }
                return new ConfigNode.Sequence(items, location);
            }
            ScalarNode scalar = (ScalarNode) node;
            return new ConfigNode.Scalar(scalarValue(scalar, location, path), scalar.getValue(), location);
        }

        private ConfigNode.Mapping mapping(MappingNode node, ConfigLocation location, String path) {
            List<ConfigNode.Entry> entries = new ArrayList<>();
            Map<String, ConfigLocation> seen = new HashMap<>();
            for (NodeTuple tuple : node.getValue()) {
                Node keyNode = tuple.getKeyNode();
                ConfigLocation keyLocation = locate.apply(keyNode.getStartMark());
                if (!(keyNode instanceof ScalarNode keyScalar)) {
                    errors.add(keyLocation, path, "a key must be a plain word, got "
                            + (keyNode instanceof MappingNode ? "a mapping" : "a list"));
                    continue;
                }
                // Keys are names, whatever YAML 1.1 would make of them (`on:` would otherwise be a boolean).
                String key = keyScalar.getValue();
                String keyPath = path.isEmpty() ? key : path + "." + key;
                if (Tag.MERGE.equals(keyNode.getTag())) {
                    errors.add(keyLocation, path, "merge keys (<<) are not supported; write the keys out");
                    continue;
                }
                ConfigLocation first = seen.putIfAbsent(key, keyLocation);
                if (first != null) {
                    errors.add(keyLocation, keyPath, "duplicate key; it is already set at " + where(first));
                    continue;
                }
                entries.add(new ConfigNode.Entry(key, keyLocation, convert(tuple.getValueNode(), keyPath)));
            }
            return new ConfigNode.Mapping(entries, location);
        }

        private static String where(ConfigLocation location) {
            return location instanceof ConfigLocation.InFile f
                    ? "line " + f.line() + ", column " + f.column()
                    : location.toString();
        }

        private Object scalarValue(ScalarNode node, ConfigLocation location, String path) {
            Tag tag = node.getTag();
            if (Tag.STR.equals(tag) || Tag.TIMESTAMP.equals(tag)) {
                // Nothing in an experiment is a date; a date-like value stays the text it is.
                return node.getValue();
            }
            if (Tag.NULL.equals(tag) || Tag.BOOL.equals(tag) || Tag.INT.equals(tag) || Tag.FLOAT.equals(tag)) {
                try {
                    return scalars.construct(node);
                } catch (RuntimeException e) {
                    errors.add(location, path, "'" + node.getValue() + "' is not a valid " + tag.getValue());
                    return node.getValue();
                }
            }
            errors.add(location, path, unsupportedTag(node));
            return node.getValue();
        }

        private static String unsupportedTag(Node node) {
            String tag = node.getTag().getValue();
            return "unsupported tag " + (tag.startsWith(Tag.PREFIX) ? "!!" + tag.substring(Tag.PREFIX.length()) : tag)
                    + ": an experiment holds only plain mappings, lists, strings, numbers and booleans";
        }
    }

    /** Exposes the safe constructor's conversion of null, boolean, integer and float scalars. */
    private static final class ScalarConstructor extends SafeConstructor {
        ScalarConstructor() {
            super(loaderOptions());
        }

        Object construct(ScalarNode node) {
            return constructObject(node);
        }
    }
}
