package io.spikeforge.common;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that readers see either the old content or the complete new content: the bytes
 * go to a temporary file ({@value #TEMPORARY_SUFFIX}) in the same folder, reach the disk, and the
 * file is then renamed over the target.
 */
public final class AtomicFiles {
    /** Suffix of the temporary files; one left behind comes from a write that was killed. */
    public static final String TEMPORARY_SUFFIX = ".partial";

    private static final int BUFFER_BYTES = 1 << 16;

    private AtomicFiles() {
    }

    /** Produces a file's content. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code target} atomically; its folder must exist. On failure the temporary file is
     * removed and the target is unchanged.
     */
    public static void write(Path target, Content content) throws IOException {
        Path temporary = writeTemporary(target, content);
        try {
            moveIntoPlace(temporary, target);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
    }

    /** Writes the given bytes to {@code target} atomically. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /**
     * Writes content to a new temporary file next to {@code target} and forces it to disk, without
     * renaming it yet: for callers that rename several files only when all are complete.
     */
    public static Path writeTemporary(Path target, Content content) throws IOException {
        return writeTemporary(target, Long.toHexString(ThreadLocalRandom.current().nextLong()), content);
    }

    /**
     * {@link #writeTemporary(Path, Content)} to the temporary file {@link #temporaryFor}{@code (target,
     * token)}, which must not exist: for callers that record the token beforehand, so that they can
     * tell their own temporary files after a crash.
     */
    public static Path writeTemporary(Path target, String token, Content content) throws IOException {
        // not Files.createTempFile: its owner-only permissions would stay with the renamed file
        Path temporary = temporaryFor(target, token);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_BYTES);
            content.writeTo(out);
            out.flush();
            channel.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(temporary);
            throw IoErrors.naming(target, e);
        } catch (RuntimeException | Error e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        return temporary;
    }

    /** The temporary file of {@code target} for a token: {@code <name>.<token>}{@value #TEMPORARY_SUFFIX}, next to it. */
    public static Path temporaryFor(Path target, String token) {
        return target.resolveSibling(target.getFileName() + "." + token + TEMPORARY_SUFFIX);
    }

    /** Renames a complete temporary file over the target, atomically where the file system can. */
    public static void moveIntoPlace(Path temporary, Path target) throws IOException {
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
