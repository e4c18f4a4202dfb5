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

    @Test
    void aScratchFolderHoldsTheTemporaryFileAndTheTargetFolderIsCreated() throws IOException {
        Path scratch = Files.createDirectory(folder.resolve("run"));
        Path target = scratch.resolve("params").resolve("nested").resolve("lr");

        AtomicFiles.write(target, "0.1".getBytes(StandardCharsets.UTF_8), scratch);
        AtomicFiles.copy(target, scratch.resolve("artifacts").resolve("lr"), scratch);

        assertEquals("0.1", Files.readString(target));
        assertEquals("0.1", Files.readString(scratch.resolve("artifacts").resolve("lr")));
        assertEquals(List.of("artifacts", "params"), names(scratch));
        assertEquals(List.of("lr"), names(target.getParent()));
    }

    @Test
    void aFailedWriteThroughAScratchFolderLeavesNoTemporaryThereNorTheTarget() throws IOException {
        Path scratch = Files.createDirectory(folder.resolve("run"));
        Path target = scratch.resolve("tags").resolve("note");

        assertThrows(IOException.class, () -> AtomicFiles.copy(folder.resolve("missing"), target, scratch));

        assertEquals(List.of(), names(scratch));
    }

    private List<String> names() throws IOException {
        return names(folder);
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
