/**
 * Experiment files: safe YAML loading with line and column kept for every key and value, Hydra-style
 * command-line overrides, validation against one declarative schema (which also fills defaults and
 * generates {@code docs/experiments.md}), component slots checked against the plugin registry, and
 * the immutable {@link io.spikeforge.runner.config.Experiment} record tree that the rest of the
 * runner reads. Start at {@link io.spikeforge.runner.config.ExperimentLoader}.
 */
package io.spikeforge.runner.config;
