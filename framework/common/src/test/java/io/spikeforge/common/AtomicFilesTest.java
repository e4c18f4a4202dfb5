package io.spikeforge.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path folder;

    @Test
    void replacesTheContentWhole() throws IOException {
        Path target = folder.resolve("weights.bin");
        AtomicFiles.write(target, "old".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(target, "new content".getBytes(StandardCharsets.UTF_8));

        assertEquals("new content", Files.readString(target));
        assertEquals(List.of("weights.bin"), names());
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryAndNamesTheFile() throws IOException {
        Path target = folder.resolve("weights.bin");
        AtomicFiles.write(target, "old".getBytes(StandardCharsets.UTF_8));
        // what a full disk throws: a plain IOException that does not name the file
        IOException failure = new IOException("No space left on device");

        IOException thrown = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write("half of the new".getBytes(StandardCharsets.UTF_8));
            throw failure;
        }));

        assertEquals(target + ": No space left on device", thrown.getMessage());
        assertSame(failure, thrown.getCause());
        assertEquals("old", Files.readString(target));
        assertEquals(List.of("weights.bin"), names());
    }

    @Test
    void theFileGetsTheFolderDefaultPermissionsNotTemporaryFileOnes() throws IOException {
        assumeTrue(folder.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path plain = Files.write(folder.resolve("plain.bin"), new byte[1]);
        Path atomic = folder.resolve("atomic.bin");

        AtomicFiles.write(atomic, new byte[1]);

        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(atomic));
    }

    private List<String> names() throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
