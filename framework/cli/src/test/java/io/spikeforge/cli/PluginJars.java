package io.spikeforge.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** Plugin jars for the distribution's tests, made from the bundled ones. */
final class PluginJars {
    private PluginJars() {
    }

    /** The bundled plugin jar whose file name starts with {@code spikeforge-plugin-<name>-}. */
    static Path bundled(DistributionRunner spikeforge, String name) throws IOException {
        try (Stream<Path> jars = Files.list(spikeforge.home().resolve("plugins"))) {
            return jars.filter(p -> p.getFileName().toString().startsWith("spikeforge-plugin-" + name + "-")).findFirst()
                    .orElseThrow(() -> new AssertionError("no bundled plugin " + name));
        }
    }

    /**
     * A copy of {@code jar} at {@code target} whose {@code plugin.properties} is edited and whose entries
     * named in {@code replaced} hold the given text instead.
     */
    static Path copy(Path jar, Path target, UnaryOperator<String> descriptor, Map<String, String> replaced)
            throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar));
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                byte[] bytes = in.readAllBytes();
                if (entry.getName().equals("plugin.properties")) {
                    bytes = descriptor.apply(new String(bytes, StandardCharsets.ISO_8859_1))
                            .getBytes(StandardCharsets.ISO_8859_1);
                } else if (replaced.containsKey(entry.getName())) {
                    bytes = replaced.get(entry.getName()).getBytes(StandardCharsets.UTF_8);
                }
                out.putNextEntry(new ZipEntry(entry.getName()));
                out.write(bytes);
                out.closeEntry();
            }
        }
        return target;
    }

    /** A copy of {@code jar} under another plugin id (its components unchanged). */
    static Path withPluginId(Path jar, Path target, String oldId, String newId) throws IOException {
        return copy(jar, target, text -> text.replace("plugin.id=" + oldId + "\n", "plugin.id=" + newId + "\n"), Map.of());
    }
}
