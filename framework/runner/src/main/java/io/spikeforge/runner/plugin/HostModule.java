package io.spikeforge.runner.plugin;

import com.google.inject.AbstractModule;
import io.spikeforge.api.HostInfo;

/** What the host offers everyone, extensions included: {@link HostInfo}. */
final class HostModule extends AbstractModule {
    private final HostInfo hostInfo;

    HostModule(HostInfo hostInfo) {
        this.hostInfo = hostInfo;
    }

    @Override
    protected void configure() {
        bind(HostInfo.class).toInstance(hostInfo);
    }
}
