/**
 * Tensor helpers shared by the engine's layers: reusable buffers keyed by shape, so that training
 * steps with repeating shapes allocate no native memory.
 */
package io.spikeforge.engine.tensor;
