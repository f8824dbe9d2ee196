package vecgrad.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that is not a valid IDX file, or not the IDX file that was expected (e.g. an MNIST label file
 * whose count disagrees with its image file). The message names the file and says what was expected
 * and what was found.
 */
public final class IdxFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    IdxFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }

    IdxFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }

    /** For a problem that involves several files, each named in {@code message}. */
    IdxFormatException(String message) {
        super(message);
    }
}
