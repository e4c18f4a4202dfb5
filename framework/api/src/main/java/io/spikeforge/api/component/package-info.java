/**
 * What every pluggable component shares: its provider contract, the declared parameters it is built
 * from, validation with errors that name the key, and the provenance recorded for each run.
 */
package io.spikeforge.api.component;
