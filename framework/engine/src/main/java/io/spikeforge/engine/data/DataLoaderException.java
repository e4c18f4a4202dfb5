package io.spikeforge.engine.data;

/** A batch could not be prepared; the cause is the background thread's failure. */
public class DataLoaderException extends RuntimeException {
    public DataLoaderException(String message, Throwable cause) {
        super(message, cause);
    }
}
