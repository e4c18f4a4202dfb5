package io.spikeforge.runner.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A Hydra-style override: {@code dotted.key=value} sets a key (the value is read as a YAML flow
 * value), {@code ~dotted.key} removes one so that its default applies again. Overrides apply to the
 * tree as written, in order, before validation; whatever they set is located at the override.
 *
 * @param path the key's segments
 * @param value the new value; empty for a removal
 * @param location the override's argument and position
 */
record CommandLineOverride(List<String> path, Optional<ConfigNode> value, ConfigLocation.InOverride location) {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-]+");
    private static final String SYNTAX = "expected key=value to set a key or ~key to remove one";
    private static final String NOTHING_TO_REMOVE =
            "nothing to remove: the key is not set in the file or by an earlier override";

    CommandLineOverride {
        path = List.copyOf(path);
    }

    String dottedKey() {
        return String.join(".", path);
    }

    /** Parses every argument, reporting each malformed one; the well-formed ones are returned in order. */
    static List<CommandLineOverride> parseAll(List<String> arguments, ConfigErrors errors) {
        List<CommandLineOverride> overrides = new ArrayList<>();
        for (int i = 0; i < arguments.size(); i++) {
            parse(arguments.get(i), new ConfigLocation.InOverride(arguments.get(i), i + 1), errors)
                    .ifPresent(overrides::add);
        }
        return overrides;
    }

    private static Optional<CommandLineOverride> parse(String argument, ConfigLocation.InOverride location,
                                                       ConfigErrors errors) {
        boolean removal = argument.startsWith("~");
        int equals = argument.indexOf('=');
        if (removal && equals >= 0) {
            errors.add(location, "", "a removal takes no value: write ~key");
            return Optional.empty();
        }
        if (!removal && equals < 0) {
            errors.add(location, "", SYNTAX);
            return Optional.empty();
        }
        String key = removal ? argument.substring(1) : argument.substring(0, equals);
        if (key.isEmpty()) {
            errors.add(location, "", "the key is empty; " + SYNTAX);
            return Optional.empty();
        }
        List<String> path = List.of(key.split("\\.", -1));
        if (!path.stream().allMatch(segment -> SEGMENT.matcher(segment).matches())) {
            errors.add(location, "", "'" + key + "' is not a dotted key: expected names of letters, digits, '_' or"
                    + " '-' joined by dots, such as training.optimizer.lr");
            return Optional.empty();
        }
        if (removal) {
            return Optional.of(new CommandLineOverride(path, Optional.empty(), location));
        }
        return YamlReader.readValue(argument.substring(equals + 1), location, key, errors)
                .map(value -> new CommandLineOverride(path, Optional.of(value), location));
    }

    /**
     * Applies overrides in order. Missing sections on the way are created; a component slot written
     * as its id alone ({@code neuron: lif}) or disabled ({@code none}) turns into a mapping so that its
     * parameters can be set.
     *
     * @param isSlot tells whether a path names a component slot
     */
    static ConfigNode.Mapping applyAll(ConfigNode.Mapping root, List<CommandLineOverride> overrides,
                                       Predicate<List<String>> isSlot, ConfigErrors errors) {
        ConfigNode.Mapping result = root;
        for (CommandLineOverride override : overrides) {
            result = override.applyTo(result, 0, isSlot, errors).orElse(result);
        }
        return result;
    }

    /** The mapping at depth {@code depth} of the path with this override applied, or empty after a problem. */
    private Optional<ConfigNode.Mapping> applyTo(ConfigNode.Mapping mapping, int depth,
                                                 Predicate<List<String>> isSlot, ConfigErrors errors) {
        String segment = path.get(depth);
        Optional<ConfigNode.Entry> existing = mapping.entry(segment);
        if (depth == path.size() - 1) {
            if (value.isPresent()) {
                return Optional.of(mapping.with(new ConfigNode.Entry(segment, location, value.get())));
            }
            if (existing.isEmpty()) {
                errors.add(location, dottedKey(), NOTHING_TO_REMOVE);
                return Optional.empty();
            }
            return Optional.of(mapping.without(segment));
        }
        if (existing.isEmpty() && value.isEmpty()) {
            errors.add(location, dottedKey(), NOTHING_TO_REMOVE);
            return Optional.empty();
        }
        List<String> prefix = path.subList(0, depth + 1);
        Optional<ConfigNode.Mapping> child = existing.isEmpty()
                ? Optional.of(ConfigNode.Mapping.empty(location))
                : asMapping(existing.get().value(), isSlot.test(prefix));
        if (child.isEmpty()) {
            errors.add(location, dottedKey(), value.isEmpty() ? NOTHING_TO_REMOVE
                    : "cannot set a key inside '" + String.join(".", prefix) + "': it is "
                            + ConfigNode.describe(existing.get().value()) + ", not a mapping");
            return Optional.empty();
        }
        ConfigLocation keyLocation = existing.map(ConfigNode.Entry::keyLocation).orElse(location);
        return applyTo(child.get(), depth + 1, isSlot, errors)
                .map(updated -> mapping.with(new ConfigNode.Entry(segment, keyLocation, updated)));
    }

    /** A value seen as a mapping to descend into; null and a slot's shorthand forms count as mappings. */
    private static Optional<ConfigNode.Mapping> asMapping(ConfigNode node, boolean slot) {
        if (node instanceof ConfigNode.Mapping mapping) {
            return Optional.of(mapping);
        }
        if (node instanceof ConfigNode.Scalar scalar) {
            if (scalar.isNull() || (slot && SlotType.DISABLED.equals(scalar.value()))) {
                return Optional.of(ConfigNode.Mapping.empty(scalar.location()));
            }
            if (slot && scalar.isString()) {
                return Optional.of(new ConfigNode.Mapping(
                        List.of(new ConfigNode.Entry(SlotType.ID_KEY, scalar.location(), scalar)), scalar.location()));
            }
        }
        return Optional.empty();
    }
}
