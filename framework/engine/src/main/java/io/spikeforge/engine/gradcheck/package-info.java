/**
 * Finite-difference gradient checking of the engine's layers and losses: central differences in
 * double precision against the analytic backward pass, for the input gradients and every parameter
 * gradient.
 */
package io.spikeforge.engine.gradcheck;
