package io.spikeforge.engine.data;

import java.io.IOException;

/**
 * A data set folder or file is missing, incomplete or not in the expected format. The message
 * names the file and what was expected.
 */
public class DatasetFormatException extends IOException {
    public DatasetFormatException(String message) {
        super(message);
    }
}
