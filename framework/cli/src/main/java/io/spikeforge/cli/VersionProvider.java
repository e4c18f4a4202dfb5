package io.spikeforge.cli;

import picocli.CommandLine;

/** Reports the version recorded in the CLI jar's manifest. */
final class VersionProvider implements CommandLine.IVersionProvider {
    static String version() {
        String version = SpikeforgeCli.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"spikeforge " + version(), "Java " + Runtime.version()};
    }
}
