/**
 * Files shared with other tools: safetensors reading and writing, import of PyTorch weights into a
 * {@link io.spikeforge.api.model.StateDict}, atomic file writes, SHA-256 checksums (how Spikeforge
 * recognizes the files it wrote), and the one text of a failed file operation ({@link
 * io.spikeforge.engine.io.IoErrors}: the file and the operating system's reason).
 */
package io.spikeforge.engine.io;
