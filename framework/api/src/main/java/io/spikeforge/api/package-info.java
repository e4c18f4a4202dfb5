/**
 * The Spikeforge API: what plugin authors compile against.
 *
 * <p>Four extension points ({@link io.spikeforge.api.component.ComponentKind}) let plugins supply
 * neuron models, surrogate functions, initialization strategies and distillation losses. Each is a
 * {@link io.spikeforge.api.component.ComponentProvider}: a stable id used in experiment YAML, a
 * declared parameter schema, and a factory for the runtime object. Runtime objects compute on ND4J
 * arrays with an explicit forward and backward.
 */
package io.spikeforge.api;
