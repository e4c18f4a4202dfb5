/**
 * Hinton knowledge distillation as used by IDSNN: the softened KL divergence between teacher and
 * student, scaled by the squared temperature, combined with cross-entropy on the true labels.
 */
package io.spikeforge.plugins.kd;
