/** Initialization strategies that fill a student's parameters from a teacher's, and their reports. */
package io.spikeforge.api.init;
