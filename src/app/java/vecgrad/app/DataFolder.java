package vecgrad.app;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import vecgrad.data.Mnist;

/**
 * Where the MNIST files are ({@code --data}, else {@code $MNIST_DIR}, else {@code test-data/mnist}),
 * and loading them with a one-line message for every way it can fail.
 *
 * @param folder the absolute folder
 * @param source how it was chosen, for messages: "from --data", "from MNIST_DIR" or "the default"
 */
record DataFolder(Path folder, String source) {

    static final String DEFAULT = "test-data/mnist";
    static final String ENV = "MNIST_DIR";
    private static final String HINT = "pass --data DIR or set " + ENV + " to the folder with the MNIST files"
            + " (see mnist --help)";

    /** The folder from the option (may be null) or the environment. */
    static DataFolder resolve(String option, Map<String, String> env) throws CommandException {
        String data;
        String source;
        String fromEnv = env.get(ENV);
        if (option != null) {
            data = option;
            source = "from --data";
        } else if (fromEnv != null && !fromEnv.isBlank()) {
            data = fromEnv;
            source = "from " + ENV;
        } else {
            data = DEFAULT;
            source = "the default";
        }
        try {
            return new DataFolder(Path.of(data).toAbsolutePath().normalize(), source);
        } catch (InvalidPathException e) {
            throw CommandException.usage("bad data folder '" + data + "' (" + source + "): " + e.getMessage());
        }
    }

    /** Loads the four files, or fails with the reader's message and how to point at the right folder. */
    Mnist load() throws CommandException {
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw CommandException.failure("expected an MNIST data folder, found " + folder + " (" + source
                    + "), which is not a folder; " + HINT);
        }
        if (!Files.isDirectory(folder)) {
            throw CommandException.failure("MNIST data folder not found: tried " + folder + " (" + source + "); " + HINT);
        }
        try {
            return Mnist.load(folder);
        } catch (FileNotFoundException e) {
            throw CommandException.failure(e.getMessage() + "; " + HINT);
        } catch (IOException e) {
            throw CommandException.failure(String.valueOf(e.getMessage()));
        } catch (OutOfMemoryError e) {
            // Measured: the default run works with -Xmx128m and fails to load MNIST with -Xmx112m (the gzip
            // reader grows its array by doubling, so the 47 MB of training pixels briefly take 87 MB).
            throw CommandException.failure("out of memory loading MNIST with at most "
                    + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB of heap: the default run needs about"
                    + " 128 MB (the pixels are 55 MB); run java with -Xmx256m");
        }
    }

    @Override
    public String toString() {
        return folder + " (" + source + ")";
    }
}
