/**
 * Contract tests for ANN activations ({@link io.spikeforge.api.activation.AnnActivation}): extend
 * {@link io.spikeforge.testkit.activation.AnnActivationContract}, supply your activation (and, for a
 * straight-through gradient, the smooth function it differentiates), and inherit finite-difference
 * checks of the input and parameter gradients and checks of shapes, data types and determinism.
 * {@link io.spikeforge.testkit.activation.SoftClipTestActivation} is a smooth activation with
 * trainable parameters for tests of the framework.
 */
package io.spikeforge.testkit.activation;
