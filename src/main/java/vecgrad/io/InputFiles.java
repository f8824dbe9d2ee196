package vecgrad.io;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Checks that a path names a regular file before a reader opens it, so that a folder, a FIFO, a
 * device or a socket is refused with the path and what it is, instead of blocking (opening a FIFO
 * for reading waits for a writer), reading a device without end, or failing with a bare
 * {@code Is a directory}. Every reader of the library (safetensors, IDX, images) calls it first.
 *
 * <p>Symbolic links are followed: a link to a regular file is a regular file. The check and the
 * open are two steps, so a path replaced by a FIFO in between still blocks; the check is for
 * mistakes and hostile paths given on a command line, not for a concurrent attacker.
 */
public final class InputFiles {

    private InputFiles() {
    }

    /**
     * Returns if {@code file} is a regular file (after following links); throws otherwise.
     *
     * @param file     the path to check
     * @param expected what the caller expects, for the message: {@code "a safetensors file"}
     * @throws NoSuchFileException if nothing exists at {@code file}
     * @throws FileSystemException if it is a folder, a FIFO, a device, a socket or another special file;
     *                             the message is {@code PATH: expected a safetensors file, found a FIFO (named pipe)}
     */
    public static void requireRegularFile(Path file, String expected) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(expected, "expected");
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "expected " + expected + ", found nothing there");
        }
        if (!attributes.isRegularFile()) {
            throw new FileSystemException(file.toString(), null, "expected " + expected + ", found " + kind(file, attributes));
        }
    }

    /** What a non-regular file is, in words: {@code "a folder"}, {@code "a FIFO (named pipe)"}, ... */
    static String kind(Path file, BasicFileAttributes attributes) {
        if (attributes.isDirectory()) {
            return "a folder";
        }
        // POSIX st_mode file type bits (S_IFMT), where the platform exposes them.
        int type;
        try {
            type = ((Integer) Files.getAttribute(file, "unix:mode")) & 0170000;
        } catch (IOException | RuntimeException e) {
            return "a special file (not a regular file)";
        }
        return switch (type) {
            case 0010000 -> "a FIFO (named pipe)";
            case 0020000 -> "a character device";
            case 0060000 -> "a block device";
            case 0140000 -> "a socket";
            default -> "a special file (not a regular file)";
        };
    }
}
