/** Distillation losses: a student's loss given its logits, a teacher's logits and the labels. */
package io.spikeforge.api.distill;
