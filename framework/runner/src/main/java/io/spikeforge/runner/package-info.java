/** The runner: experiments, plugin host, Guice wiring, pipelines, tracking and reports. */
package io.spikeforge.runner;
