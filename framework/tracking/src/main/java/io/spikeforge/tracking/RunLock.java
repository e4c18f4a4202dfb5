package io.spikeforge.tracking;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Marks a folder as open in a live process ({@code .spikeforge.lock} in it): a spooled run, so that
 * a sync leaves it to that process's sender, and a pipeline's run folder, so that a second
 * {@code --resume} of it is refused while the first runs. The operating system drops the lock when
 * the process dies, so a crashed run can be synced or resumed.
 */
public final class RunLock implements AutoCloseable {
    public static final String FILE_NAME = ".spikeforge.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock, unless a process (this one included) holds it. */
    public static Optional<RunLock> tryAcquire(Path runDir) throws IOException {
        FileChannel channel = FileChannel.open(runDir.resolve(FILE_NAME), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return Optional.of(new RunLock(channel, lock));
            }
        } catch (OverlappingFileLockException e) {
            // this process holds it already
        }
        channel.close();
        return Optional.empty();
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
