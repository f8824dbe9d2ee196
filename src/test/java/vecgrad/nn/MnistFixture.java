package vecgrad.nn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import vecgrad.data.Mnist;

/** MNIST from test-data/, loaded once per test JVM. */
final class MnistFixture {

    private static Mnist mnist;

    private MnistFixture() {
    }

    static synchronized Mnist mnist() {
        if (mnist == null) {
            try {
                mnist = Mnist.load(Path.of("test-data", "mnist"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return mnist;
    }
}
