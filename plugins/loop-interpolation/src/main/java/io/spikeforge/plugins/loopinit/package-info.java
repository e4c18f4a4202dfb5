/**
 * IDSNN's initialization of a smaller student ResNet from a teacher ResNet: blocks mapped stage by
 * stage, channels mapped by loop interpolation ({@code W_s[o, i] = W_t[o mod O_t, i mod I_t]}).
 */
package io.spikeforge.plugins.loopinit;
