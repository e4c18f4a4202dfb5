/** Measuring steps: warm-up, timed repetitions, medians, kernel shares and peak memory. */
package io.spikeforge.engine.bench;
