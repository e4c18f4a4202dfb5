package io.spikeforge.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IoErrorsTest {
    @TempDir
    Path temp;

    /** Java's message for these is the file's name alone ("README.md"). */
    @Test
    void theReasonIsNamedWhereJavaLeavesItOut() throws IOException {
        Path file = Files.writeString(temp.resolve("README.md"), "text");
        FileAlreadyExistsException exists = assertThrows(FileAlreadyExistsException.class,
                () -> Files.createDirectories(file));
        FileSystemException notDirectory = assertThrows(FileSystemException.class,
                () -> Files.createDirectories(file.resolve("runs")));
        NoSuchFileException missing = assertThrows(NoSuchFileException.class,
                () -> Files.readString(temp.resolve("absent")));

        assertEquals(file.toString(), exists.getMessage());
        assertEquals(file + ": File exists", IoErrors.message(exists));
        assertEquals(file.resolve("runs") + ": Not a directory", IoErrors.message(notDirectory));
        assertEquals(temp.resolve("absent") + ": No such file or directory", IoErrors.message(missing));
        assertEquals("a -> b: Read-only file system",
                IoErrors.message(new FileSystemException("a", "b", "Read-only file system")));
    }

    @Test
    void causesAreAddedWhenTheyAddSomething() {
        FileSystemException readOnly = new FileSystemException("mlruns/0/meta.yaml", null, "Read-only file system");
        assertEquals("cannot start a run in mlruns: mlruns/0/meta.yaml: Read-only file system",
                IoErrors.withCauses(new UncheckedIOException("cannot start a run in mlruns", readOnly)));
        assertEquals("mlruns/0/meta.yaml: Read-only file system",
                IoErrors.withCauses(new UncheckedIOException(readOnly)), "no repetition of a cause");
        assertEquals("java.lang.NoSuchMethodError: 'double com.example.Helper.scale()'",
                IoErrors.withCauses(new NoSuchMethodError("'double com.example.Helper.scale()'")),
                "an Error's type says what happened");
        assertEquals("java.lang.IllegalStateException: wrapped: x: No space left on device",
                IoErrors.withCauses(new IllegalStateException("wrapped", IoErrors.naming(Path.of("x"),
                        new IOException("No space left on device")))));
    }

    @Test
    void onlyPlainIoExceptionsGetTheFileName() {
        IOException plain = new IOException("No space left on device");
        IOException named = IoErrors.naming(Path.of("runs/a/config.yaml"), plain);
        assertEquals("runs/a/config.yaml: No space left on device", named.getMessage());
        assertSame(plain, named.getCause());
        NoSuchFileException specific = new NoSuchFileException("other");
        assertSame(specific, IoErrors.naming(Path.of("x"), specific));
    }
}
