/**
 * Synaptic operations and energy estimates of evaluated networks: accumulates driven by spikes, and
 * multiply-accumulates of layers with real-valued input, priced with the 45 nm figures of Horowitz
 * (ISSCC 2014) as SpikingJelly and syops-counter do. docs/conversion.md defines the counts.
 */
package io.spikeforge.engine.energy;
