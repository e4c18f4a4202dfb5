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
 * The one way Spikeforge replaces a file, so that readers see either the old content or the
 * complete new content, also after a crash or a power loss: the bytes go to a temporary file
 * ({@value #TEMPORARY_SUFFIX}) in the same folder, reach the disk ({@code fsync}), the file is
 * renamed over the target, and the folder's new entry reaches the disk too where the file system
 * allows (POSIX; Windows cannot open a folder for that).
 *
 * <p>Where another program reads every file of the target's folder (MLflow reads each file of a
 * run's {@code params/} or {@code tags/} as one value), the temporary file goes to a scratch folder
 * on the same file system instead, which that program does not read: see the methods that take one.
 */
public final class AtomicFiles {
    /** Suffix of the temporary files; one left behind comes from a write that was killed. */
    public static final String TEMPORARY_SUFFIX = ".partial";

    /** Prefix of the temporary files written to a scratch folder: hidden files. */
    static final String SCRATCH_PREFIX = ".tmp-";

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
     * Writes {@code target} atomically with its temporary file in {@code scratchFolder}, which must
     * be on the same file system; the target's folder is created when missing.
     */
    public static void write(Path target, byte[] bytes, Path scratchFolder) throws IOException {
        writeVia(target, scratchFolder, out -> out.write(bytes));
    }

    /**
     * Copies {@code source} to {@code target} atomically, its temporary file in {@code scratchFolder}
     * (on the same file system); the target's folder is created when missing.
     */
    public static void copy(Path source, Path target, Path scratchFolder) throws IOException {
        writeVia(target, scratchFolder, out -> Files.copy(source, out));
    }

    private static void writeVia(Path target, Path scratchFolder, Content content) throws IOException {
        Path temporary = writeTemporaryFile(target, scratchFolder.resolve(SCRATCH_PREFIX + randomToken()
                + TEMPORARY_SUFFIX), content);
        try {
            Path parent = target.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            moveIntoPlace(temporary, target);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
    }

    /**
     * Writes content to a new temporary file next to {@code target} and forces it to disk, without
     * renaming it yet: for callers that rename several files only when all are complete.
     */
    public static Path writeTemporary(Path target, Content content) throws IOException {
        return writeTemporary(target, randomToken(), content);
    }

    /**
     * {@link #writeTemporary(Path, Content)} to the temporary file {@link #temporaryFor}{@code (target,
     * token)}, which must not exist: for callers that record the token beforehand, so that they can
     * tell their own temporary files after a crash.
     */
    public static Path writeTemporary(Path target, String token, Content content) throws IOException {
        return writeTemporaryFile(target, temporaryFor(target, token), content);
    }

    private static Path writeTemporaryFile(Path target, Path temporary, Content content) throws IOException {
        // not Files.createTempFile: its owner-only permissions would stay with the renamed file
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

    /**
     * Renames a complete temporary file over the target, atomically where the file system can, and
     * forces the target's folder entry to disk where the file system allows.
     */
    public static void moveIntoPlace(Path temporary, Path target) throws IOException {
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
        forceFolder(target.toAbsolutePath().getParent());
    }

    /**
     * Forces a folder's entries to disk, so that a rename into it survives a power loss. Only POSIX
     * systems can open a folder for this; elsewhere (Windows) the rename is as durable as the file
     * system makes it, and nothing is done.
     */
    private static void forceFolder(Path folder) throws IOException {
        if (folder == null || !folder.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some file systems (FUSE, network mounts) refuse fsync on a folder; the file's bytes are
            // on disk already and the rename is done, so the write stands
        }
    }

    private static String randomToken() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong());
    }
}
