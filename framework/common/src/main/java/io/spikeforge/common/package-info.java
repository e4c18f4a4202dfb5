/**
 * What the engine and the MLflow tracking module share, on the JDK alone: the one atomic file
 * writer ({@link io.spikeforge.common.AtomicFiles}: a temporary file, {@code fsync}, an atomic
 * rename, the folder forced to disk) and the one text of a failed file operation
 * ({@link io.spikeforge.common.IoErrors}: the file and the operating system's reason).
 */
package io.spikeforge.common;
