/**
 * Experiment files: safe YAML loading with line and column kept for every key and value, Hydra-style
 * command-line overrides, validation against one declarative schema (which also fills defaults and
 * generates {@code docs/experiments.md}), component slots checked against the plugin registry, and
 * the immutable {@link io.spikeforge.runner.config.Experiment} record tree that the rest of the
 * runner reads. Start at {@link io.spikeforge.runner.config.ExperimentLoader}.
 *
 * <p>The schema ({@code ExperimentSchema}) is the one list of keys: values are checked by the value
 * types of {@code io.spikeforge.api.config}, which component parameters use too; the records are
 * bound from the resolved keys by field name ({@code ExperimentBinder}), and written back by the
 * same rule ({@code ExperimentWriter}). Adding a key is its schema entry and its record field.
 */
package io.spikeforge.runner.config;
