/**
 * Contract tests for {@link io.spikeforge.api.distill.DistillationLoss} implementations: extend
 * {@link io.spikeforge.testkit.distill.DistillationLossContract} and supply the loss.
 */
package io.spikeforge.testkit.distill;
