package io.spikeforge.engine.data;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.List;

/**
 * A folder that Spikeforge was to write a synthetic set into holds files it cannot prove it wrote
 * (by the checksums in its own metadata); it neither replaces nor deletes them. Nothing was changed.
 */
public final class ForeignFilesException extends FileAlreadyExistsException {
    private static final int NAMES_SHOWN = 3;

    private final transient List<String> files;

    ForeignFilesException(Path folder, List<String> files) {
        super(folder.toString(), null, "holds files that Spikeforge did not write ("
                + String.join(", ", files.subList(0, Math.min(NAMES_SHOWN, files.size())))
                + (files.size() > NAMES_SHOWN ? ", ..." : "") + "); it never replaces or deletes them");
        this.files = List.copyOf(files);
    }

    /** The names of those files, sorted. */
    public List<String> files() {
        return files;
    }
}
