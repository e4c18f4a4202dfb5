package io.spikeforge.runner.config;

import io.spikeforge.common.IoErrors;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads YAML into {@link ConfigNode} trees. Only SnakeYAML's composer runs, which builds a node tree
 * and never instantiates classes; scalars are converted with the safe constructor's rules, and any
 * tag beyond plain YAML values is refused.
 *
 * <p>Hostile or mistaken input stops with a located problem, never with an exhausted stack or heap:
 * files are read up to {@link #MAX_FILE_BYTES}, collections nest at most {@link #MAX_NESTING_DEPTH}
 * deep, at most {@link #MAX_ALIASES_FOR_COLLECTIONS} aliases refer to collections (so aliases cannot
 * multiply a document), and an alias inside the block it refers to is refused.
 */
final class YamlReader {
    /** Anchors are handy for sharing a block; many aliases to collections are only useful for attacks. */
    private static final int MAX_ALIASES_FOR_COLLECTIONS = 10;
    private static final int MAX_NESTING_DEPTH = 50;
    /** Experiment files are a few kilobytes; the limit keeps a wrong path (a device, a data file) out of memory. */
    static final int MAX_FILE_BYTES = 1 << 20;

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
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            }
            if (bytes.length > MAX_FILE_BYTES) {
                errors.add(endOf(file, bytes), "", "the file goes on beyond " + (MAX_FILE_BYTES >> 20) + " MiB, where"
                        + " reading stopped; an experiment file is a few kilobytes of YAML (is this the right file?)");
                return Optional.empty();
            }
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
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
            errors.add(whole, "", "cannot read the experiment file: " + IoErrors.message(e));
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

    /** The line and column after the last of {@code bytes}, as far as they read as text. */
    private static ConfigLocation endOf(Path file, byte[] bytes) {
        String text = new String(bytes, 0, MAX_FILE_BYTES, StandardCharsets.UTF_8);
        int lastNewline = text.lastIndexOf('\n');
        int line = 1 + (int) text.chars().filter(c -> c == '\n').count();
        return new ConfigLocation.InFile(file, line, text.length() - lastNewline);
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
        PositionedParser parser = new PositionedParser(new ParserImpl(new StreamReader(new StringReader(text)),
                options));
        Node node;
        try {
            node = new Composer(parser, new Resolver(), options).getSingleNode();
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            errors.add(mark == null ? parser.location(locate, whole) : locate.apply(mark), keyPath,
                    syntaxPrefix + syntaxMessage(e));
            return Optional.empty();
        } catch (YAMLException e) {
            // The composer's limits (aliases, nesting) say nothing of where they were reached; the parser knows.
            errors.add(parser.location(locate, whole), keyPath, limitMessage(e));
            return Optional.empty();
        }
        if (node == null) {
            return Optional.of(new ConfigNode.Scalar(null, "", whole));
        }
        return Optional.of(new Converter(locate, errors).convert(node, keyPath, whole));
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

    /** SnakeYAML's message for a limit it enforces, in the terms of an experiment file. */
    private static String limitMessage(YAMLException e) {
        String message = oneLine(e.getMessage() == null ? e.toString() : e.getMessage());
        if (message.startsWith("Number of aliases for non-scalar nodes exceeds")) {
            return "more than " + MAX_ALIASES_FOR_COLLECTIONS + " aliases refer to mappings or lists; write the"
                    + " blocks out instead";
        }
        if (message.startsWith("Nesting Depth exceeded")) {
            return "mappings and lists nest more than " + MAX_NESTING_DEPTH + " levels deep";
        }
        return message;
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
        // The nodes being converted, outermost first: meeting one again means an alias inside its own block.
        private final Set<Node> open = Collections.newSetFromMap(new IdentityHashMap<>());

        Converter(Function<Mark, ConfigLocation> locate, ConfigErrors errors) {
            this.locate = locate;
            this.errors = errors;
        }

        /**
         * @param site where the value is referred to: the key of a mapping entry or the list, which for an
         *     alias differs from the node's own location (its anchor)
         */
        ConfigNode convert(Node node, String path, ConfigLocation site) {
            ConfigNode done = converted.get(node);
            if (done != null) {
                return done;
            }
            if (!open.add(node)) {
                ConfigLocation anchor = locate.apply(node.getStartMark());
                errors.add(site, path, "the alias refers to the block anchored" + (node.getAnchor() == null ? ""
                        : " as &" + node.getAnchor()) + " at " + where(anchor) + ", which contains this alias: a"
                        + " recursive structure is not a value");
                return new ConfigNode.Scalar(null, "", site);
            }
            done = convertOnce(node, path);
            open.remove(node);
            converted.put(node, done);
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
                    items.add(convert(values.get(i), path + "[" + i + "]", location));
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
                ConfigNode value = convert(tuple.getValueNode(), keyPath, keyLocation);
                entries.add(new ConfigNode.Entry(key, keyLocation, value));
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

    /** A parser that remembers where its latest event starts, to locate the composer's unmarked errors. */
    private static final class PositionedParser implements Parser {
        private final Parser parser;
        private Mark latest;

        PositionedParser(Parser parser) {
            this.parser = parser;
        }

        /** Where the latest event read or peeked at starts; {@code whole} before the first. */
        ConfigLocation location(Function<Mark, ConfigLocation> locate, ConfigLocation whole) {
            return latest == null ? whole : locate.apply(latest);
        }

        @Override
        public boolean checkEvent(Event.ID choice) {
            boolean matches = parser.checkEvent(choice);
            remember(parser.peekEvent());
            return matches;
        }

        @Override
        public Event peekEvent() {
            return remember(parser.peekEvent());
        }

        @Override
        public Event getEvent() {
            return remember(parser.getEvent());
        }

        private Event remember(Event event) {
            if (event != null && event.getStartMark() != null) {
                latest = event.getStartMark();
            }
            return event;
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
