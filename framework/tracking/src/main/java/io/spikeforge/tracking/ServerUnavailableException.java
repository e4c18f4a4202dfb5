package io.spikeforge.tracking;

import java.io.IOException;

/**
 * The tracking server could not be reached or did not answer in time, or answered with a server
 * error, on every attempt allowed.
 */
final class ServerUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    ServerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
