package io.spikeforge.runner.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Generates {@code docs/experiments.md}: the hand-written guide ({@link ExperimentGuide}) with the
 * reference of every section and key generated from the experiment schema.
 */
final class ExperimentDocs {
    private static final String REFERENCE_MARKER = "<!-- generated: schema reference -->";

    private ExperimentDocs() {
    }

    /** The complete Markdown text of {@code docs/experiments.md}. */
    static String markdown() {
        if (!ExperimentGuide.TEMPLATE.contains(REFERENCE_MARKER)) {
            throw new IllegalStateException("ExperimentGuide.TEMPLATE lacks the marker " + REFERENCE_MARKER);
        }
        return ExperimentGuide.TEMPLATE.replace(REFERENCE_MARKER, reference());
    }

    /**
     * Each kind's keys in turn: a section or slot a later kind shares with an earlier one is named
     * there, not documented again.
     */
    private static String reference() {
        Map<SchemaSection, String> documentedAt = new IdentityHashMap<>();
        for (ExperimentKind kind : ExperimentKind.values()) {
            collectShortestPaths(ExperimentSchema.root(kind), "", documentedAt);
        }
        Set<Object> written = Collections.newSetFromMap(new IdentityHashMap<>());
        StringBuilder out = new StringBuilder();
        for (ExperimentKind kind : ExperimentKind.values()) {
            SchemaSection root = ExperimentSchema.root(kind);
            out.append("### Kind `").append(kind.yamlName()).append("`\n\n")
                    .append("Top-level keys: ").append(String.join(", ", root.keyNames().stream()
                            .map(k -> "`" + k + "`").toList())).append(".");
            List<String> shared = root.keys().stream().filter(k -> written.contains(identity(k))).map(k -> "`" + k.name() + "`")
                    .toList();
            if (!shared.isEmpty()) {
                out.append(" As in the kinds above: ").append(String.join(", ", shared)).append(".");
            }
            out.append("\n\n");
            List<SchemaKey> slots = new ArrayList<>();
            for (SchemaKey key : root.keys()) {
                if (!written.add(identity(key))) {
                    continue;
                }
                if (key.type() instanceof SlotType) {
                    slots.add(key);
                    continue;
                }
                if (!slots.isEmpty()) {
                    writeSlots(out, slots);
                    slots.clear();
                }
                if (key.type() instanceof KeyType.Section) {
                    writeSection(out, kind, key.name(), key, documentedAt);
                } else {
                    tableHeader(out);
                    row(out, key.name(), key.type().allowed(), defaultText(key), description(key));
                    out.append('\n');
                }
            }
            if (!slots.isEmpty()) {
                writeSlots(out, slots);
            }
        }
        return out.toString().stripTrailing();
    }

    /** What makes a top-level key the same in two kinds: its section, or the key itself. */
    private static Object identity(SchemaKey key) {
        return key.type() instanceof KeyType.Section section ? section.section() : key;
    }

    /** Where each section is documented: a section used at several places, at its shortest path. */
    private static void collectShortestPaths(SchemaSection section, String path, Map<SchemaSection, String> out) {
        for (SchemaKey key : section.keys()) {
            if (key.type() instanceof KeyType.Section nested) {
                String nestedPath = path.isEmpty() ? key.name() : path + "." + key.name();
                String known = out.get(nested.section());
                if (known == null || nestedPath.length() < known.length()) {
                    out.put(nested.section(), nestedPath);
                }
                collectShortestPaths(nested.section(), nestedPath, out);
            }
        }
    }

    private static void writeSection(StringBuilder out, ExperimentKind kind, String path, SchemaKey sectionKey,
                                     Map<SchemaSection, String> documentedAt) {
        SchemaSection section = ((KeyType.Section) sectionKey.type()).section();
        String heading = kind == ExperimentKind.DEFAULT ? "`" + path + "`" : "`" + path + "` (kind `"
                + kind.yamlName() + "`)";
        out.append("#### ").append(heading).append("\n\n").append(sectionKey.description()).append("\n\n");
        String canonical = documentedAt.get(section);
        if (!canonical.equals(path)) {
            out.append("Same keys, types and defaults as `").append(canonical).append("`, under `").append(path)
                    .append(".` (for example `").append(path).append('.').append(section.keyNames().get(0))
                    .append("`).\n\n");
            return;
        }
        List<SchemaKey> leaves = section.keys().stream()
                .filter(k -> !(k.type() instanceof KeyType.Section))
                .toList();
        if (!leaves.isEmpty()) {
            tableHeader(out);
            for (SchemaKey key : leaves) {
                row(out, path + "." + key.name(), key.type().allowed(), defaultText(key), description(key));
            }
            out.append('\n');
        }
        for (SchemaKey key : section.keys()) {
            if (key.type() instanceof KeyType.Section) {
                writeSection(out, kind, path + "." + key.name(), key, documentedAt);
            }
        }
    }

    private static void writeSlots(StringBuilder out, List<SchemaKey> slots) {
        out.append("#### ").append(String.join(", ", slots.stream().map(k -> "`" + k.name() + "`").toList()))
                .append("\n\n")
                .append("Component slots: each takes a plugin component's `id` and that component's own parameters"
                        + " (see [Component slots](#component-slots)).\n\n");
        tableHeader(out);
        for (SchemaKey key : slots) {
            SlotType slot = (SlotType) key.type();
            String allowed = Messages.withArticle(slot.kind().displayName()) + (slot.nullable() ? ", or `none`" : "");
            row(out, key.name(), allowed,
                    defaultText(key), description(key));
        }
        out.append('\n');
    }

    private static void tableHeader(StringBuilder out) {
        out.append("| Key | Type and allowed values | Default | Description |\n")
                .append("|---|---|---|---|\n");
    }

    private static void row(StringBuilder out, String key, String allowed, String defaultText, String description) {
        out.append("| `").append(key).append("` | ").append(escape(allowed)).append(" | ").append(defaultText)
                .append(" | ").append(escape(description)).append(" |\n");
    }

    private static String defaultText(SchemaKey key) {
        DefaultValue value = key.defaultValue();
        if (value instanceof DefaultValue.Required) {
            return "required";
        }
        if (value instanceof DefaultValue.Fixed fixed) {
            return "`" + YamlText.scalar(fixed.value()) + "`";
        }
        if (value instanceof DefaultValue.Unset) {
            return "not set";
        }
        if (value instanceof DefaultValue.Computed computed) {
            return escape(computed.docs());
        }
        SlotType slot = (SlotType) key.type();
        return slot.defaultId() == null ? "`" + SlotType.DISABLED + "`" : "`{id: " + slot.defaultId() + "}`";
    }

    private static String description(SchemaKey key) {
        return key.condition()
                .map(c -> "Only when `" + c.sibling() + "` is " + String.join(" or ",
                        c.values().stream().map(v -> "`" + v + "`").toList()) + ". ")
                .orElse("") + key.description();
    }

    private static String escape(String cell) {
        return cell.replace("|", "\\|");
    }
}
