/**
 * Files shared with other tools: safetensors reading and writing, import of PyTorch weights into a
 * {@link io.spikeforge.api.model.StateDict} and SHA-256 checksums (how Spikeforge recognizes the
 * files it wrote). Atomic writes and the text of a failed file operation live in
 * {@link io.spikeforge.common}, which the tracking module shares.
 */
package io.spikeforge.engine.io;
