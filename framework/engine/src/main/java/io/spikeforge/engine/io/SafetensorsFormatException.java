package io.spikeforge.engine.io;

import java.io.IOException;

/** A file is not valid safetensors: the message names the file and the problem. */
public class SafetensorsFormatException extends IOException {
    public SafetensorsFormatException(String message) {
        super(message);
    }

    public SafetensorsFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
