/**
 * Reusable JUnit 5 contract tests for plugin authors: extend the contract for your extension point,
 * supply your component, and inherit checks of shapes, determinism and backward passes.
 */
package io.spikeforge.testkit;
