package io.spikeforge.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The one place where failed file operations become text. Java leaves the operating system's
 * reason out of some exceptions' messages (a {@link FileAlreadyExistsException}'s message is just
 * the file's name) and the file out of others (a full disk is a plain "No space left on device");
 * the texts made here always hold both, such as {@code runs/a/config.yaml: No space left on device}.
 */
public final class IoErrors {
    /** What the JDK's file-system exception types stand for, in the words of strerror. */
    private static final Map<Class<? extends FileSystemException>, String> REASONS = Map.of(
            NoSuchFileException.class, "No such file or directory",
            FileAlreadyExistsException.class, "File exists",
            AccessDeniedException.class, "Permission denied",
            NotDirectoryException.class, "Not a directory",
            DirectoryNotEmptyException.class, "Directory not empty",
            NotLinkException.class, "Not a symbolic link",
            FileSystemLoopException.class, "Too many levels of symbolic links");

    private IoErrors() {
    }

    /**
     * An I/O failure as {@code file: reason}: the file (and the second file of a move) with the
     * reason the operating system gave, or the one the exception's type stands for.
     */
    public static String message(IOException e) {
        if (e instanceof FileSystemException fs) {
            String reason = fs.getReason() != null && !fs.getReason().isBlank() ? fs.getReason() : reasonOf(fs);
            if (fs.getFile() == null) {
                return reason;
            }
            return fs.getFile() + (fs.getOtherFile() == null ? "" : " -> " + fs.getOtherFile()) + ": " + reason;
        }
        String text = e.getMessage();
        return text == null || text.isBlank() ? e.getClass().getName() : text;
    }

    /**
     * A failure with each cause that adds something, such as {@code cannot start a run in mlruns:
     * mlruns/0/meta.yaml: Read-only file system}. I/O failures read as {@link #message}; other
     * exceptions keep their type's name, which says what went wrong when their message does not.
     */
    public static String withCauses(Throwable failure) {
        StringBuilder text = new StringBuilder(ownText(failure));
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        seen.add(failure);
        for (Throwable cause = failure.getCause(); cause != null && seen.add(cause); cause = cause.getCause()) {
            String part = ownText(cause);
            if (!text.toString().contains(part)) {
                text.append(": ").append(part);
            }
        }
        return text.toString();
    }

    /**
     * Adds the file to a plain {@link IOException}, which is what a failed write or flush throws (a
     * full disk, a device error) without naming the file; the original stays as the cause. Any
     * other exception, which names its file or means something of its own, is returned unchanged.
     */
    public static IOException naming(Path file, IOException e) {
        if (e.getClass() != IOException.class) {
            return e;
        }
        FileSystemException named = new FileSystemException(file.toString(), null, message(e));
        named.initCause(e);
        return named;
    }

    private static String ownText(Throwable t) {
        if (t instanceof IOException io) {
            return message(io);
        }
        String text = t.getMessage();
        if (t.getCause() != null && t.getCause().toString().equals(text)) {
            // made from the cause alone, as new UncheckedIOException(e) is: it says what the cause says
            return ownText(t.getCause());
        }
        if (t instanceof UncheckedIOException && text != null && !text.isBlank()) {
            return text;
        }
        return text == null || text.isBlank() ? t.getClass().getName() : t.toString();
    }

    /** The strerror text of the errno that the exception's type stands for. */
    private static String reasonOf(FileSystemException e) {
        return REASONS.entrySet().stream().filter(reason -> reason.getKey().isInstance(e)).map(Map.Entry::getValue)
                .findFirst().orElse(e.getClass().getSimpleName());
    }
}
