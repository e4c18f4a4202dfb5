package io.spikeforge.runner.plugin;

import io.spikeforge.api.component.ComponentKind;

/** Two plugins claim the same id for one extension point. */
public class DuplicateComponentException extends PluginSetupException {
    private static final long serialVersionUID = 1L;

    public DuplicateComponentException(ComponentKind kind, String id, RegisteredComponent first,
                                       RegisteredComponent second) {
        super(kind.displayName() + " id '" + id + "' is claimed by two plugins: '" + first.pluginId() + "' ("
                + first.source() + ") and '" + second.pluginId() + "' (" + second.source()
                + "); remove one of the two plugins");
    }
}
