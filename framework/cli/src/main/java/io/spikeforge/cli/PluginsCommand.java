package io.spikeforge.cli;

import io.spikeforge.api.component.ComponentKind;
import io.spikeforge.api.component.ParameterSpec;
import io.spikeforge.runner.plugin.PluginHost;
import io.spikeforge.runner.plugin.RegisteredComponent;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code spikeforge plugins}: every component the loaded plugins provide, with its parameters. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "List the plugin folders read and the components that the plugins provide: id, extension "
                + "point, plugin, version, source jar and parameters.")
final class PluginsCommand implements Callable<Integer> {
    @CommandLine.Option(names = "--strict",
            description = "Exit 4 when a plugin jar cannot be used (for CI), as the global --strict-plugins does.")
    boolean strict;

    @CommandLine.ParentCommand
    SpikeforgeCli root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (PluginHost host = PluginHostSupport.start(root, spec.commandLine().getErr(), strict)) {
            out.println("Plugin folders");
            host.options().folders().forEach(folder -> out.println("  " + folder));
            for (ComponentKind kind : ComponentKind.values()) {
                Map<String, RegisteredComponent> components = host.registry().components(kind);
                out.println();
                out.println(capitalize(kind.pluralDisplayName()) + " (" + components.size() + ")");
                if (components.isEmpty()) {
                    out.println("  none");
                }
                components.values().forEach(component -> print(out, component));
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static void print(PrintWriter out, RegisteredComponent component) {
        out.printf("  %s  (plugin %s %s, %s)%n", component.id(), component.pluginId(), component.pluginVersion(),
                component.source().getFileName());
        out.println("    " + component.provider().description());
        if (component.provider().parameters().specs().isEmpty()) {
            out.println("    no parameters");
            return;
        }
        for (ParameterSpec p : component.provider().parameters().specs()) {
            String value = p.required() ? "required" : p.defaultValue() == null ? "optional" : "default " + p.defaultValue();
            out.printf("    %-20s %-28s %-16s %s%n", p.name(), p.allowed(), value, p.description());
        }
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
