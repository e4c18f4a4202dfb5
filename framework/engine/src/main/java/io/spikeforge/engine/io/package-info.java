/**
 * Files shared with other tools: safetensors reading and writing, import of PyTorch weights into a
 * {@link io.spikeforge.api.model.StateDict}, and atomic file writes.
 */
package io.spikeforge.engine.io;
