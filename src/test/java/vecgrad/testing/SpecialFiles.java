package vecgrad.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Test support, shared by the test packages: FIFOs for tests, made with {@code mkfifo(1)}; a test that needs one is skipped where there is none. */
public final class SpecialFiles {

    private SpecialFiles() {
    }

    /** Creates a FIFO at {@code path}, or skips the test (assumption) if the platform cannot. */
    public static Path fifo(Path path) throws InterruptedException {
        try {
            Process p = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
            assumeTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo failed");
        } catch (IOException e) {
            assumeTrue(false, "no mkfifo: " + e.getMessage());
        }
        assumeTrue(Files.exists(path) && !Files.isRegularFile(path), "mkfifo made no FIFO");
        return path;
    }
}
