package vecgrad.app;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import vecgrad.io.AtomicFile;

/**
 * Checks, before any training, that the output folder and the weights file can be written: a
 * failure after minutes of training would lose the run.
 */
final class OutputPaths {

    private OutputPaths() {
    }

    /** Creates {@code folder} (and its parents) and writes and deletes a probe file in it. */
    static Path prepareFolder(String option, String folder) throws CommandException {
        Path dir = path(option, folder);
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw CommandException.failure("cannot write to " + option + " " + dir + ": it is a file, not a folder");
        }
        probe(option, dir, dir);
        return dir;
    }

    /** Creates the folder of {@code file} if needed and checks that a file can be written there. */
    static Path prepareFile(String option, String file) throws CommandException {
        Path p = path(option, file);
        if (Files.isDirectory(p)) {
            throw CommandException.failure("cannot write " + option + " " + p + ": it is a folder");
        }
        probe(option, p, p.getParent());
        try {
            AtomicFile.checkWritable(p); // a device, FIFO or link to one fails now, not after the training
        } catch (IOException e) {
            throw CommandException.failure(option + " " + e.getMessage()); // "PATH: cannot write: ...", path included
        }
        return p;
    }

    private static Path path(String option, String name) throws CommandException {
        try {
            return Path.of(name).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw CommandException.usage(option + " expects a path, got '" + name + "': " + e.getMessage());
        }
    }

    private static void probe(String option, Path target, Path dir) throws CommandException {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".mnist-probe-", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw CommandException.failure("cannot write " + option + " " + target + ": " + reason(e));
        }
    }

    /** An I/O failure in a few words, with the path it concerns. */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException a) {
            return "permission denied on " + a.getFile();
        }
        if (e instanceof NoSuchFileException a) {
            return "no such file or folder: " + a.getFile();
        }
        if (e instanceof FileAlreadyExistsException a) {
            return a.getFile() + " exists and is not a folder";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason() + ": " + f.getFile();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
