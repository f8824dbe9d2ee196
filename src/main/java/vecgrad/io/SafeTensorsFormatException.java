package vecgrad.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that is not a valid safetensors file, or holds a tensor this library cannot read. The
 * message names the file and says what was expected and what was found, for example
 * {@code model.safetensors: tensor 'w' has 24 bytes of data, expected 4 x 3 x 4 = 48 bytes for F32 shape (4, 3)}.
 */
public final class SafeTensorsFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    SafeTensorsFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }
}
