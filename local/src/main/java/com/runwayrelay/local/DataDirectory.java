package com.runwayrelay.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The local stack's data folder (default {@code ./.relay}): emulator data, the dev app's key, the
 * simulator's key, stream positions, the on-failure log and {@code stack.json}. Holding an instance
 * holds an exclusive lock on the folder, so two stacks never share one database.
 *
 * <p>A reset deletes only a folder the stack created (it carries a marker file) or an empty one, so
 * a mistyped {@code --data-dir} cannot wipe unrelated files.
 */
final class DataDirectory implements AutoCloseable {
    static final String MARKER = ".relay-data";
    private static final String LOCK = ".lock";

    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDirectory(Path root, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Creates the folder if needed, locks it and, with {@code reset}, empties it first.
     *
     * @throws StackStartException if another process (or stack in this JVM) holds the folder, the folder is
     *     not a data folder of the stack and a reset was asked for, or it cannot be created
     */
    static DataDirectory open(Path directory, boolean reset) {
        Path root = directory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new StackStartException("cannot create the data folder " + root + ": " + e.getMessage(), e);
        }
        if (reset && !isOurs(root)) {
            throw new StackStartException("refusing to reset " + root + ": it is not empty and is not a data folder of the local stack"
                    + " (it has no " + MARKER + " file). Choose another --data-dir.");
        }
        FileChannel channel = null;
        FileLock lock;
        try {
            channel = FileChannel.open(root.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            close(channel);
            throw new StackStartException("cannot lock the data folder " + root + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            close(channel);
            throw new StackStartException("the data folder " + root + " is in use by another ./relay process."
                    + " Stop it first, or give this one its own --data-dir.");
        }
        DataDirectory data = new DataDirectory(root, channel, lock);
        try {
            if (reset) {
                data.empty();
            }
            Files.writeString(root.resolve(MARKER), "Data folder of the runway-relay local stack (./relay local). Safe to delete when it is stopped.\n");
        } catch (IOException | UncheckedIOException e) {
            data.close();
            throw new StackStartException("cannot prepare the data folder " + root + ": " + e.getMessage(), e);
        }
        return data;
    }

    /**
     * Whether a stack (in this or another process) holds the folder right now. A folder that does not exist
     * is not in use.
     */
    static boolean inUse(Path directory) {
        Path lockFile = directory.resolve(LOCK);
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock probe = channel.tryLock();
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The folder. */
    Path root() {
        return root;
    }

    /** Where the emulators keep DynamoDB and S3 data. */
    Path aws() {
        return root.resolve("aws");
    }

    /** The dev app's id and key. */
    Path devApp() {
        return root.resolve("dev-app.json");
    }

    /** The simulator's fixed key. */
    Path simulator() {
        return root.resolve("simulator.json");
    }

    /** Every component's URL and credentials while the stack runs. */
    Path stackFile() {
        return root.resolve(StackFile.NAME);
    }

    /** A stream reader's positions. */
    Path streamPositions(String reader) {
        return root.resolve("streams").resolve(reader + ".json");
    }

    /** Stream batches given up on (the on-failure destination). */
    Path streamFailures() {
        return root.resolve("stream-failures.jsonl");
    }

    /** Releases the lock; the files stay. */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // the channel's close below releases it too
        }
        close(lockChannel);
    }

    /** Writes a file only the owner can read (keys live in some of them). */
    static void writePrivate(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temporary, content);
            try {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the folder's ACL applies
            }
            Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private void empty() throws IOException {
        List<Path> children;
        try (Stream<Path> list = Files.list(root)) {
            children = list.filter(child -> !child.getFileName().toString().equals(LOCK)).toList();
        }
        for (Path child : children) {
            try (Stream<Path> walk = Files.walk(child)) {
                for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    private static boolean isOurs(Path root) {
        if (Files.exists(root.resolve(MARKER))) {
            return true;
        }
        try (Stream<Path> list = Files.list(root)) {
            return list.allMatch(child -> child.getFileName().toString().equals(LOCK));
        } catch (IOException e) {
            return false;
        }
    }

    private static void close(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing useful to do: the lock goes with the process anyway
            }
        }
    }
}
