package io.spikeforge.plugins.lif;

import io.spikeforge.testkit.PluginPackagingContract;

/**
 * The build packages the plugin so that the host finds its components; the contract reads the id and
 * the providers from the plugin's descriptor and extension index.
 */
class PluginPackagingTest extends PluginPackagingContract {
}
