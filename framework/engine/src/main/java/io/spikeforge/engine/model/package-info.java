/**
 * Models of the training engine: the {@link io.spikeforge.engine.model.Model} interface that the
 * trainer, evaluator and checkpoints use, the {@link io.spikeforge.engine.model.ModelBuilder}s of
 * its families (build, estimate memory before allocating), and the building blocks a family is
 * composed of ({@link io.spikeforge.engine.model.Sequential}, {@link io.spikeforge.engine.model.Residual},
 * {@link io.spikeforge.engine.model.ComposedModel}). Families: CIFAR-style ResNets
 * ({@link io.spikeforge.engine.model.ResNet}) and VGGs ({@link io.spikeforge.engine.model.Vgg}), as
 * ANNs (with ReLU, or a plugin's activation made per site by an
 * {@link io.spikeforge.engine.model.AnnActivationFactory}) or spiking networks (with neurons made per
 * layer by a {@link io.spikeforge.engine.model.NeuronFactory}), with PyTorch / torchvision tensor names, a
 * {@link io.spikeforge.api.model.ModelStructure} for initialization strategies, and an explicit
 * forward and backward pass that allocates nothing once shapes repeat.
 * {@link io.spikeforge.engine.model.ModelSummary} lists a model's layers as {@code torchinfo} does;
 * {@link io.spikeforge.engine.model.StepwiseInference} runs a spiking model's evaluation one
 * time-step at a time, its layers sharing one pool of step buffers and each batch norm folded into
 * the convolution before it, the batch whole or in parts of a few rows.
 */
package io.spikeforge.engine.model;
