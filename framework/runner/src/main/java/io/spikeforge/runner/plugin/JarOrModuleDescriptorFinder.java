package io.spikeforge.runner.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.pf4j.ManifestPluginDescriptorFinder;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginDescriptorFinder;
import org.pf4j.PluginRuntimeException;
import org.pf4j.PropertiesPluginDescriptorFinder;

/**
 * Reads a plugin's descriptor: a jar's root {@code plugin.properties} or else its manifest's
 * {@code Plugin-*} entries; a development module's {@code target/classes/plugin.properties}. Unlike
 * PF4J's compound finder, it says in one line why a jar has no usable descriptor.
 */
final class JarOrModuleDescriptorFinder implements PluginDescriptorFinder {
    private final PluginDescriptorFinder jarProperties = new PropertiesPluginDescriptorFinder();
    private final PluginDescriptorFinder jarManifest = new ManifestPluginDescriptorFinder();
    private final PluginDescriptorFinder moduleProperties =
            new PropertiesPluginDescriptorFinder("target/classes/" + PluginLayout.DESCRIPTOR);

    @Override
    public boolean isApplicable(Path pluginPath) {
        return PluginLayout.isJar(pluginPath) || Files.isDirectory(pluginPath);
    }

    @Override
    public PluginDescriptor find(Path pluginPath) {
        if (Files.isDirectory(pluginPath)) {
            return moduleProperties.find(pluginPath);
        }
        boolean hasProperties;
        boolean hasManifestId;
        try (JarFile jar = new JarFile(pluginPath.toFile())) {
            hasProperties = jar.getEntry(PluginLayout.DESCRIPTOR) != null;
            Manifest manifest = jar.getManifest();
            hasManifestId = manifest != null
                    && manifest.getMainAttributes().getValue(ManifestPluginDescriptorFinder.PLUGIN_ID) != null;
        } catch (IOException e) {
            throw new PluginRuntimeException("not a readable jar file (" + e.getMessage() + ")");
        }
        if (hasProperties) {
            return jarProperties.find(pluginPath);
        }
        if (hasManifestId) {
            return jarManifest.find(pluginPath);
        }
        throw new PluginRuntimeException("not a plugin: no " + PluginLayout.DESCRIPTOR
                + " at the jar's root and no Plugin-Id in its manifest");
    }
}
