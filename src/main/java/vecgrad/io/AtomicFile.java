package vecgrad.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Writes a file so that readers see either the old file or the complete new one, never a part: every
 * file the library writes (weights, IDX files, reports) goes through here.
 *
 * <p>Guarantees:
 * <ul>
 * <li><b>Only regular files are written.</b> If the target exists and is a folder, a FIFO, a device,
 *     a socket or another special file, the write is refused with the path and what it is, before
 *     anything is written: {@code --save /dev/null} must not replace {@code /dev/null}.
 * <li><b>Symbolic links are written through.</b> If the target is a symbolic link (or a chain of
 *     them), the file it points to is replaced and the link stays a link; the temporary file goes in
 *     the folder of that real file, so the rename stays within one file system. A dangling link
 *     creates the file it names. (The alternative, replacing the link by a regular file, would
 *     silently detach a file that a user linked on purpose, for example weights shared between runs.)
 * <li><b>Crash safety.</b> The content goes to a new hidden file in the same folder,
 *     {@code .NAME.<16 hex digits>.tmp}, is forced to the device, and is renamed over the target with
 *     {@code ATOMIC_MOVE}; a process killed at any moment leaves the target either as it was or
 *     complete. On every failure, including an {@link Error} such as {@code OutOfMemoryError}, the
 *     temporary file is deleted. A process killed outright cannot delete it, so every successful
 *     write deletes the temporaries of the same target that earlier crashes left behind (regular
 *     files whose names match exactly that pattern, nothing else).
 * <li><b>Not for concurrent writers of the same target.</b> Two processes writing the same file at
 *     once may each delete the other's temporary file as stale, and then one of them fails; the file
 *     is still never seen half written. Writers of different targets do not interfere.
 * </ul>
 */
public final class AtomicFile {

    /*
     * How: POSIX rename(2) is atomic within one file system, hence the temporary file in the target's
     * own folder. After the rename the folder is forced too, so that the rename itself survives a
     * power failure (as Lucene's IOUtils.fsync(dir, true)); that step is best effort, since some
     * platforms cannot open a folder.
     *
     * The temporary file is created with CREATE_NEW rather than Files.createTempFile, which would give
     * it (and so the final file) owner-only permissions instead of the umask's.
     */

    /** Linux's SYMLOOP_MAX: more links in a chain than this is a loop. */
    private static final int MAX_LINKS = 40;

    /** Writes the whole content of the file to a fresh channel positioned at 0 (and does not close it). */
    @FunctionalInterface
    public interface Content {
        /**
         * Writes the content.
         *
         * @param channel the temporary file's channel, positioned at 0; forced and closed by the caller
         * @throws IOException if writing fails; the target is then left as it was
         */
        void writeTo(FileChannel channel) throws IOException;
    }

    private AtomicFile() {
    }

    /**
     * Checks that {@code file} can be written: after following symbolic links, its folder exists and is
     * writable, and the file either does not exist or is a regular file. Called before any work, so a
     * bad path fails at once with nothing written.
     *
     * @param file the file about to be written; symbolic links are followed
     * @throws IOException naming the path and the reason: a missing or read-only folder, a root, or a
     *     target that is a folder, FIFO, device, socket or other special file
     */
    public static void checkWritable(Path file) throws IOException {
        writableTarget(file);
    }

    /**
     * Writes {@code file} atomically: see the class comment.
     *
     * @param file the file to create or replace; symbolic links are followed
     * @param content writes the whole new content to the temporary file's channel
     * @throws IOException if the target is not writable (see {@link #checkWritable}; nothing is written
     *     then), or the content or the rename fails (the target is then left as it was)
     */
    public static void write(Path file, Content content) throws IOException {
        Path target = writableTarget(file);
        Path folder = target.getParent();
        String name = target.getFileName().toString();
        Path temp = createTemp(folder, name);
        boolean done = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                content.writeTo(channel);
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            done = true;
        } finally {
            // A finally block runs for every Throwable, Errors included.
            if (!done) {
                deleteQuietly(temp);
            }
        }
        forceFolder(folder);
        deleteStaleTemporaries(folder, name);
    }

    /**
     * Writes {@code text} as UTF-8 to {@code file}, atomically.
     *
     * @param file the file to create or replace; symbolic links are followed
     * @param text the whole new content
     * @throws IOException if the target is not writable (see {@link #checkWritable}; nothing is written
     *     then), or the write or the rename fails (the target is then left as it was)
     */
    public static void writeString(Path file, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(file, channel -> {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        });
    }

    /** The absolute path that will really be replaced: {@code file} with its symbolic links followed, checked. */
    private static Path writableTarget(Path file) throws IOException {
        Path target = file.toAbsolutePath();
        for (int links = 0; Files.isSymbolicLink(target); links++) {
            if (links == MAX_LINKS) {
                throw new FileSystemException(file.toString(), null,
                        "cannot write: expected a file or a link to one, found more than " + MAX_LINKS + " links in a chain (a loop?)");
            }
            Path parent = target.getParent();
            target = parent.resolve(Files.readSymbolicLink(target)).normalize();
        }
        Path folder = target.getParent();
        String via = target.equals(file.toAbsolutePath()) ? "" : " (the target of the link " + file + ")";
        if (folder == null) {
            throw new FileSystemException(file.toString(), null, "cannot write: expected a file path, found a root");
        }
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            attributes = null; // no such file (or its folder is not one): the folder checks below say which
        }
        // What the target is comes first: "it is a device" is the reason, whatever the folder's permissions.
        if (attributes != null && attributes.isDirectory()) {
            throw new FileAlreadyExistsException(target.toString(), null, "cannot write" + via + ": it is a folder");
        }
        if (attributes != null && !attributes.isRegularFile()) {
            throw new FileSystemException(target.toString(), null, "cannot write" + via + ": expected a regular file, found "
                    + InputFiles.kind(target, attributes) + ", which is left as it is");
        }
        if (!Files.isDirectory(folder)) {
            throw new NoSuchFileException(folder.toString(), null, "cannot write " + target + via
                    + ": expected an existing folder, found " + (Files.exists(folder) ? "a file" : "nothing"));
        }
        if (!Files.isWritable(folder)) {
            throw new AccessDeniedException(folder.toString(), null, "cannot write " + target + via + ": the folder is not writable");
        }
        return target;
    }

    private static Path createTemp(Path folder, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path temp = folder.resolve(temporaryName(name, ThreadLocalRandom.current().nextLong()));
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

    /** {@code .NAME.<16 lower-case hex digits>.tmp}: the only names {@link #deleteStaleTemporaries} deletes. */
    static String temporaryName(String name, long random) {
        return "." + name + "." + String.format("%016x", random) + ".tmp";
    }

    /**
     * Deletes the regular files in {@code folder} named {@code .NAME.<16 hex>.tmp}: temporaries of
     * {@code name} left by writers that were killed. Best effort: the file just written is complete
     * whatever happens here.
     */
    private static void deleteStaleTemporaries(Path folder, String name) {
        Pattern stale = Pattern.compile(Pattern.quote("." + name + ".") + "[0-9a-f]{16}" + Pattern.quote(".tmp"));
        // The glob narrows the listing; the pattern decides. Glob metacharacters in the name are escaped.
        String glob = "." + name.replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1") + ".*.tmp";
        try (DirectoryStream<Path> candidates = Files.newDirectoryStream(folder, glob)) {
            for (Path p : candidates) {
                if (stale.matcher(p.getFileName().toString()).matches()
                        && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    deleteQuietly(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Listing can fail (permissions, an odd file system); stale temporaries are only clutter.
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException | RuntimeException e) {
            // The original failure is the one to report; a stale hidden .tmp file is removed by the next write.
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
