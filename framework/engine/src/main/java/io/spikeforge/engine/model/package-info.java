/**
 * Models of the training engine, assembled from the layers of {@link io.spikeforge.engine.layer}:
 * CIFAR-style ResNets as ANNs or spiking networks ({@link io.spikeforge.engine.model.ResNet}), with
 * PyTorch / torchvision tensor names, a {@link io.spikeforge.api.model.ModelStructure} for
 * initialization strategies, and an explicit forward and backward pass that allocates nothing once
 * shapes repeat.
 */
package io.spikeforge.engine.model;
