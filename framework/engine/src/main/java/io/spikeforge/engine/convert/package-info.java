/**
 * ANN-to-SNN conversion in the engine: a trained ANN {@link io.spikeforge.engine.model.Model}
 * (ResNet or VGG) with BatchNorm folded into its convolutions ({@link io.spikeforge.engine.convert.Conversion}),
 * calibrated layer by layer into a network of integrate-and-fire neurons by a
 * {@link io.spikeforge.api.convert.ThresholdStrategy}, then stepped through time to measure accuracy
 * at several time-steps in one pass, the per-layer conversion errors and the energy
 * ({@link io.spikeforge.engine.convert.SpikingConversion}).
 *
 * <p>Definitions (shared with docs/conversion.md). IF neuron: {@code v_t = v_{t-1} + x_t}; a spike
 * when {@code v_t >= theta}; soft reset {@code v_t -= theta}; {@code v_0 = f * theta} with f the
 * initial membrane fraction; a spike carries the value theta. Quantization of an activation
 * {@code a}: {@code q_T(a) = theta/T * clip(floor(a*T/theta + f), 0, T)}. Quantization error: the
 * mean of {@code (a_ann - q_T(a_ann))^2}; deviation error: the mean of {@code (r - q_T(xbar))^2}
 * with {@code r} the layer's output rate times theta and {@code xbar} its input current's mean over
 * T in the converted network. Signed neurons ({@link io.spikeforge.engine.convert.NeuronPlacement#BRANCH_NEURONS})
 * also fire negative spikes, symmetrically.
 */
package io.spikeforge.engine.convert;
