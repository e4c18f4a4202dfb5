/**
 * The types of configuration values, shared by experiment files and component parameters: what a
 * value may be (an integer in a range, a number, a boolean, text, one word of a fixed set), the
 * phrase that says so in messages and docs, and the check that converts a value as YAML read it.
 * Plugins declare parameters with them ({@link io.spikeforge.api.component.ParameterSpec}); the
 * experiment schema uses the same types, so a range or a choice reads and fails the same way in
 * both.
 */
package io.spikeforge.api.config;
