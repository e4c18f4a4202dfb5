/**
 * The numerical engine: layers with an explicit forward and backward on ND4J ops called directly,
 * models, training, data and conversion. Depends on the API only.
 */
package io.spikeforge.engine;
