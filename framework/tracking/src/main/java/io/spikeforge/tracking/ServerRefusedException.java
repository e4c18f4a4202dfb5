package io.spikeforge.tracking;

/**
 * The tracking server refused a request (HTTP 4xx): retrying it would fail again.
 */
final class ServerRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final String errorCode;

    ServerRefusedException(int httpStatus, String errorCode, String message) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    int httpStatus() {
        return httpStatus;
    }

    /** MLflow's error code, such as {@code RESOURCE_DOES_NOT_EXIST}; empty when the answer had none. */
    String errorCode() {
        return errorCode;
    }
}
