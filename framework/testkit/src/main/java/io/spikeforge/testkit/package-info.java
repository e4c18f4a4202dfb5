/**
 * Reusable JUnit 5 contract tests for plugin authors: extend the contract for your extension point,
 * supply your component, and inherit checks of shapes, determinism and backward passes. Also what
 * the framework's own tests share: {@link io.spikeforge.testkit.SlowTest}, the tag of slow tests,
 * and {@link io.spikeforge.testkit.ChildJvm}, a test's main class in a second JVM.
 */
package io.spikeforge.testkit;
