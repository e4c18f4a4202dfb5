/**
 * The plugin host: PF4J plugin discovery with host-first class loading for shared libraries, the
 * registry of components by extension point and id, and the Guice bindings that hand them out.
 */
package io.spikeforge.runner.plugin;
