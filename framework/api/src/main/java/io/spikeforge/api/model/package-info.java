/**
 * Engine-neutral descriptions of a model: its structure (stem, stages, blocks, layer kinds) and its
 * named tensors in PyTorch names and layouts.
 */
package io.spikeforge.api.model;
