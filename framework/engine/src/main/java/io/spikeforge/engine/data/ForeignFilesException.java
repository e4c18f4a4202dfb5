package io.spikeforge.engine.data;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

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

    /**
     * The layout of the real data set these files look like (all test files of CIFAR-10 or
     * CIFAR-100 are among them), for a hint to read them as what they are; empty otherwise.
     */
    public Optional<CifarLayout> realData() {
        for (CifarLayout layout : CifarLayout.values()) {
            if (files.containsAll(layout.fileNames(Split.TEST))) {
                return Optional.of(layout);
            }
        }
        return Optional.empty();
    }

    /**
     * The start of the advice to read these files as the real CIFAR set they look like
     * ({@code "If they are the CIFAR-10 binary files, set dataset.name=cifar10; otherwise "}), or an
     * empty text where they look like none.
     */
    public String realDataAdvice() {
        return realData().map(layout -> "If they are the " + layout.displayName() + " binary files, set"
                + " dataset.name=" + (layout == CifarLayout.CIFAR10 ? DatasetKind.CIFAR10 : DatasetKind.CIFAR100)
                .id() + "; otherwise ").orElse("");
    }
}
