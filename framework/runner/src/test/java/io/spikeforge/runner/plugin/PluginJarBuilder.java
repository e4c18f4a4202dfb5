package io.spikeforge.runner.plugin;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * Builds a PF4J plugin at test time, as a jar or as a module's {@code target/classes}.
 *
 * <p>Sources are compiled with {@link JavaCompiler} against the test class path (which holds the
 * Spikeforge API, ND4J, PF4J and jakarta.inject), with PF4J's annotation processor writing
 * {@code META-INF/extensions.idx}. The descriptor goes to {@code plugin.properties} or, on request, to
 * the manifest. Entries added with {@link #entry} replace generated ones of the same name; entries of
 * {@link #bundle bundled} jars or folders come last and never replace anything.
 *
 * <pre>{@code
 * Path jar = PluginJarBuilder.plugin("sigmoid", "1.0.0")
 *         .source("com.example.SigmoidProvider", code)
 *         .writeJar(pluginsDir.resolve("sigmoid.jar"));
 * }</pre>
 */
public final class PluginJarBuilder {
    private static final String EXTENSION_PROCESSOR = "org.pf4j.processor.ExtensionAnnotationProcessor";

    private final Map<String, String> descriptor = new LinkedHashMap<>();
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<String, byte[]> entries = new LinkedHashMap<>();
    private final List<Path> bundled = new ArrayList<>();
    private boolean descriptorInManifest;

    private PluginJarBuilder() {
    }

    /** A plugin with the given id and version in its descriptor. */
    public static PluginJarBuilder plugin(String id, String version) {
        PluginJarBuilder builder = new PluginJarBuilder();
        builder.descriptor.put("id", id);
        builder.descriptor.put("version", version);
        return builder;
    }

    /** An archive without any plugin descriptor: not a plugin. */
    public static PluginJarBuilder withoutDescriptor() {
        return new PluginJarBuilder();
    }

    public PluginJarBuilder optDescription(String description) {
        descriptor.put("description", description);
        return this;
    }

    /** The Spikeforge versions the plugin accepts, such as {@code >=0.1.0}. */
    public PluginJarBuilder optRequires(String requires) {
        descriptor.put("requires", requires);
        return this;
    }

    /** The plugins it depends on, such as {@code other-plugin@>=1.0.0}. */
    public PluginJarBuilder optDependencies(String dependencies) {
        descriptor.put("dependencies", dependencies);
        return this;
    }

    /** Writes the descriptor as manifest entries ({@code Plugin-Id}, ...) instead of {@code plugin.properties}. */
    public PluginJarBuilder optDescriptorInManifest() {
        descriptorInManifest = true;
        return this;
    }

    /** A Java source to compile; {@code className} is the top-level class's binary name. */
    public PluginJarBuilder source(String className, String code) {
        sources.put(className, code);
        return this;
    }

    /** A text entry; it replaces a generated entry of the same name (such as the extension index). */
    public PluginJarBuilder entry(String name, String text) {
        entries.put(name, text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Copies every entry of a jar or classes folder (manifest and signatures excepted) into the plugin. */
    public PluginJarBuilder bundle(Path jarOrDirectory) {
        bundled.add(jarOrDirectory);
        return this;
    }

    /** The jar or folder that {@code type} was loaded from. */
    public static Path codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("no code source for " + type.getName(), e);
        }
    }

    /** Compiles and writes the plugin jar; returns {@code jar}. */
    public Path writeJar(Path jar) {
        Map<String, byte[]> content = content();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (descriptorInManifest) {
            descriptor.forEach((key, value) -> manifest.getMainAttributes().putValue(manifestName(key), value));
        }
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (Map.Entry<String, byte[]> entry : content.entrySet()) {
                out.putNextEntry(new JarEntry(entry.getKey()));
                out.write(entry.getValue());
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + jar, e);
        }
        return jar;
    }

    /** Compiles and writes the plugin as a classes folder (a development module's {@code target/classes}). */
    public Path writeClasses(Path directory) {
        try {
            for (Map.Entry<String, byte[]> entry : content().entrySet()) {
                Path target = directory.resolve(entry.getKey());
                Files.createDirectories(target.getParent());
                Files.write(target, entry.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + directory, e);
        }
        return directory;
    }

    /** Every entry, by name, the first source of a name winning: explicit, descriptor, compiled, bundled. */
    private Map<String, byte[]> content() {
        Map<String, byte[]> content = new LinkedHashMap<>(entries);
        if (!descriptor.isEmpty() && !descriptorInManifest) {
            content.putIfAbsent("plugin.properties", descriptorProperties());
        }
        compile().forEach(content::putIfAbsent);
        for (Path source : bundled) {
            entriesOf(source).forEach(content::putIfAbsent);
        }
        return content;
    }

    private byte[] descriptorProperties() {
        Properties properties = new Properties();
        descriptor.forEach((key, value) -> properties.setProperty("plugin." + key, value));
        StringWriter text = new StringWriter();
        try {
            properties.store(text, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String manifestName(String key) {
        return "Plugin-" + Character.toUpperCase(key.charAt(0)) + key.substring(1);
    }

    private Map<String, byte[]> compile() {
        if (sources.isEmpty()) {
            return Map.of();
        }
        Path output = null;
        try {
            output = Files.createTempDirectory("plugin-classes");
            JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
                    StandardCharsets.UTF_8)) {
                files.setLocation(StandardLocation.CLASS_OUTPUT, List.of(output.toFile()));
                files.setLocation(StandardLocation.CLASS_PATH, Arrays.stream(
                        System.getProperty("java.class.path").split(File.pathSeparator)).map(File::new).toList());
                List<JavaFileObject> units = sources.entrySet().stream()
                        .map(source -> sourceFile(source.getKey(), source.getValue())).toList();
                // Named explicitly: newer JDKs no longer run processors found on the class path by default.
                List<String> options = List.of("--release", "17", "-processor", EXTENSION_PROCESSOR);
                if (!compiler.getTask(null, files, diagnostics, options, null, units).call()) {
                    throw new IllegalStateException("plugin sources do not compile: " + diagnostics.getDiagnostics());
                }
            }
            return entriesOf(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (output != null) {
                deleteTree(output);
            }
        }
    }

    private static JavaFileObject sourceFile(String className, String code) {
        URI uri = URI.create("string:///" + className.replace('.', '/') + JavaFileObject.Kind.SOURCE.extension);
        return new SimpleJavaFileObject(uri, JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return code;
            }
        };
    }

    private static Map<String, byte[]> entriesOf(Path source) {
        Map<String, byte[]> result = new LinkedHashMap<>();
        try {
            if (Files.isDirectory(source)) {
                try (Stream<Path> walk = Files.walk(source)) {
                    for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                        String name = source.relativize(file).toString().replace(File.separatorChar, '/');
                        if (!isJarMetadata(name)) {
                            result.put(name, Files.readAllBytes(file));
                        }
                    }
                }
            } else {
                try (JarFile jar = new JarFile(source.toFile())) {
                    for (Enumeration<JarEntry> all = jar.entries(); all.hasMoreElements(); ) {
                        JarEntry entry = all.nextElement();
                        if (!entry.isDirectory() && !isJarMetadata(entry.getName())) {
                            try (InputStream in = jar.getInputStream(entry)) {
                                result.put(entry.getName(), in.readAllBytes());
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source, e);
        }
        return result;
    }

    /** The manifest and signature files of a copied jar: they describe that jar, not the plugin. */
    private static boolean isJarMetadata(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return upper.equals(JarFile.MANIFEST_NAME) || upper.startsWith("META-INF/") && (upper.endsWith(".SF")
                || upper.endsWith(".RSA") || upper.endsWith(".DSA") || upper.endsWith(".EC") || upper.equals("META-INF/INDEX.LIST"));
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
