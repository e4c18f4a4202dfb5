/**
 * The quantization clip-floor-shift (QCFS) activation of Bu et al., "Optimal ANN-SNN conversion for
 * high-accuracy and ultra-low-latency spiking neural networks" (ICLR 2022): an ANN activation with
 * L levels and a trainable threshold per layer, trained in place of ReLU so that the ANN converts to
 * an SNN of integrate-and-fire neurons with few time-steps.
 */
package io.spikeforge.plugins.qcfs;
