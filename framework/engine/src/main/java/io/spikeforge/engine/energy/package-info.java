/**
 * Synaptic operations and energy estimates of evaluated networks: accumulates driven by spikes, and
 * multiply-accumulates of layers with real-valued input, priced with the 45 nm figures of Horowitz
 * (ISSCC 2014) as SpikingJelly and syops-counter do. A model's {@link
 * io.spikeforge.engine.energy.EnergyMeter} holds one {@link io.spikeforge.engine.energy.OperationCounter}
 * per layer with weights, told by the model what the layer's input carries
 * ({@link io.spikeforge.engine.energy.SignalKind}); the layers count their evaluation-mode forward
 * passes into it, and the meter reports them per image ({@link io.spikeforge.engine.energy.EnergyReport}).
 * docs/engine.md ("Operations and energy") defines the counts.
 */
package io.spikeforge.engine.energy;
