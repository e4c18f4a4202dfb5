/**
 * Contract tests for {@link io.spikeforge.api.init.InitializationStrategy} implementations, and
 * builders of small CIFAR-style ResNets (structure plus random state dict, torchvision names) to
 * run them on.
 */
package io.spikeforge.testkit.init;
