package io.spikeforge.runner.tracking;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/** Writes that a reader never sees half done: a temporary file, then an atomic rename. */
final class AtomicFiles {
    private AtomicFiles() {
    }

    /**
     * Replaces {@code target} with {@code content}. The temporary file lives in {@code scratchDir},
     * on the same file system, where MLflow does not read: a crash between the two steps leaves a
     * stray hidden file there, never a half-written record.
     */
    static void write(Path target, byte[] content, Path scratchDir) throws IOException {
        Path temporary = scratchDir.resolve(".tmp-" + UUID.randomUUID());
        try {
            Files.write(temporary, content);
            moveIntoPlace(temporary, target);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Copies {@code source} to {@code target} through a temporary file in {@code scratchDir}. */
    static void copy(Path source, Path target, Path scratchDir) throws IOException {
        Path temporary = scratchDir.resolve(".tmp-" + UUID.randomUUID());
        try {
            Files.copy(source, temporary, StandardCopyOption.COPY_ATTRIBUTES);
            moveIntoPlace(temporary, target);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static void moveIntoPlace(Path temporary, Path target) throws IOException {
        Path parent = target.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
