package vecgrad.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that readers see either the old file or the complete new one, never a part: every
 * file the library writes (weights, IDX files, reports) goes through here.
 *
 * <p>The content goes to a new hidden file in the same folder ({@code .NAME.<random>.tmp}), is forced
 * to the device, and is renamed over the target with {@code ATOMIC_MOVE} (POSIX {@code rename(2)},
 * atomic within one file system, hence the same folder). The folder is then forced too, so that
 * the rename itself survives a crash (as Lucene's {@code IOUtils.fsync(dir, true)}); that step is
 * best effort, since some platforms cannot open a folder. On any failure the temporary file is
 * deleted and the target is left as it was.
 *
 * <p>The temporary file is created with {@code CREATE_NEW} rather than {@code Files.createTempFile},
 * which would give it (and so the final file) owner-only permissions instead of the umask's.
 */
public final class AtomicFile {

    /** Writes the whole content of the file to a fresh channel positioned at 0 (and does not close it). */
    @FunctionalInterface
    public interface Content {
        /** Writes the content. */
        void writeTo(FileChannel channel) throws IOException;
    }

    private AtomicFile() {
    }

    /**
     * Checks that {@code file} can be written: its folder exists and is writable and the file is not
     * a folder. Called before any work, so a bad path fails at once with nothing written.
     */
    public static void checkWritable(Path file) throws IOException {
        Path target = file.toAbsolutePath();
        Path folder = target.getParent();
        if (folder == null) {
            throw new IOException("cannot write " + file + ": expected a file path, found a root");
        }
        if (!Files.isDirectory(folder)) {
            throw new NoSuchFileException(folder.toString(), null,
                    "cannot write " + file + ": expected an existing folder, found " + (Files.exists(folder) ? "a file" : "nothing"));
        }
        if (!Files.isWritable(folder)) {
            throw new AccessDeniedException(folder.toString(), null, "cannot write " + file + ": the folder is not writable");
        }
        if (Files.isDirectory(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "cannot write " + file + ": it is a folder");
        }
    }

    /**
     * Writes {@code file} atomically: see the class comment.
     *
     * @throws IOException if the folder is missing or not writable (before anything is written), or
     *     the content or the rename fails (the target is then left as it was)
     */
    public static void write(Path file, Content content) throws IOException {
        checkWritable(file);
        Path target = file.toAbsolutePath();
        Path folder = target.getParent();
        Path temp = createTemp(folder, target.getFileName().toString());
        boolean done = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                content.writeTo(channel);
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            done = true;
        } finally {
            if (!done) {
                deleteQuietly(temp);
            }
        }
        forceFolder(folder);
    }

    /** Writes {@code text} as UTF-8 to {@code file}, atomically. */
    public static void writeString(Path file, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(file, channel -> {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        });
    }

    private static Path createTemp(Path folder, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path temp = folder.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                Files.newByteChannel(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return temp;
            } catch (FileAlreadyExistsException e) {
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException | RuntimeException e) {
            // The original failure is the one to report; a stale hidden .tmp file is harmless.
        }
    }

    private static void forceFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            // Not supported on every platform (Windows cannot open a folder); the file is complete either way.
        }
    }
}
