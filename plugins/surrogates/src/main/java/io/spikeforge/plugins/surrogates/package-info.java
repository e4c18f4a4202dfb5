/**
 * The rectangular surrogate gradient: {@code dS/du = 1/a} where {@code |u| < a/2}, else 0, as used by
 * IDSNN (with {@code a = 1}) and listed among SpikingJelly's surrogates.
 */
package io.spikeforge.plugins.rectangular;
