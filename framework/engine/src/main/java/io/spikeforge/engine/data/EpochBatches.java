package io.spikeforge.engine.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.IntFunction;

/**
 * The batches of one epoch, prepared by a background thread into a bounded queue. Single use and
 * for one consumer thread. {@link #close()} stops the background thread and waits for it; a
 * failure in that thread is rethrown by {@link #next()} as a {@link DataLoaderException}.
 */
public final class EpochBatches implements Iterator<Batch>, AutoCloseable {
    private final IntFunction<Batch> producer;
    private final int epoch;
    private final int total;
    private final BlockingQueue<Object> queue;
    private final Thread worker;
    private int delivered;
    private boolean failed;
    private boolean closed;

    /**
     * Starts the background thread.
     *
     * @param producer assembles batch {@code number}; called on the background thread only, in order
     */
    EpochBatches(int epoch, int total, int prefetch, IntFunction<Batch> producer) {
        this.producer = producer;
        this.epoch = epoch;
        this.total = total;
        this.queue = new ArrayBlockingQueue<>(prefetch);
        this.worker = new Thread(this::produce, "spikeforge-data-epoch-" + epoch);
        worker.setDaemon(true);
        worker.start();
    }

    /** The epoch these batches belong to. */
    public int epoch() {
        return epoch;
    }

    /** Batches in this epoch. */
    public int batchCount() {
        return total;
    }

    @Override
    public boolean hasNext() {
        return !closed && !failed && delivered < total;
    }

    /**
     * The next batch, waiting for the background thread if it is not ready.
     *
     * @throws DataLoaderException when the background thread failed to prepare it, or the wait was interrupted
     */
    @Override
    public Batch next() {
        if (!hasNext()) {
            throw new NoSuchElementException(closed ? "closed" : "epoch " + epoch + " has " + total + " batches");
        }
        Object item;
        try {
            item = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataLoaderException("interrupted while waiting for batch " + delivered + " of epoch " + epoch, e);
        }
        if (item instanceof Failure failure) {
            failed = true;
            throw new DataLoaderException("preparing batch " + delivered + " of epoch " + epoch + " failed: "
                    + failure.cause(), failure.cause());
        }
        delivered++;
        return (Batch) item;
    }

    /** Stops the background thread (if still running) and waits until it has ended. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        worker.interrupt();
        boolean interrupted = false;
        while (worker.isAlive()) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        queue.clear();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** True while the background thread runs; for tests of a clean shutdown. */
    boolean workerAlive() {
        return worker.isAlive();
    }

    private void produce() {
        try {
            for (int number = 0; number < total && !Thread.currentThread().isInterrupted(); number++) {
                queue.put(producer.apply(number));
            }
        } catch (InterruptedException e) {
            // closed by the consumer: nothing more to deliver
        } catch (Throwable t) {
            try {
                queue.put(new Failure(t));
            } catch (InterruptedException e) {
                // closed by the consumer: no one is left to report to
            }
        }
    }

    private record Failure(Throwable cause) {
    }
}
