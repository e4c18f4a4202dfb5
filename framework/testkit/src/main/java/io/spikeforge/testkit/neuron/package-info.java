/**
 * Contract tests for neuron models and surrogate functions: extend {@link
 * io.spikeforge.testkit.neuron.NeuronModelContract} or {@link
 * io.spikeforge.testkit.neuron.SurrogateFunctionContract}, supply your component, and inherit checks
 * of shapes, data types, independence, causality and back-propagation through time.
 */
package io.spikeforge.testkit.neuron;
