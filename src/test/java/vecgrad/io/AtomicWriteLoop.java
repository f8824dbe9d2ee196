package vecgrad.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import vecgrad.tensor.Tensor;

/**
 * The child process of {@link AtomicFileCrashTest}: saves two alternating versions of a safetensors
 * file in an endless loop, printing {@code ready} once and {@code wrote V} after each completed save,
 * until it is killed.
 */
final class AtomicWriteLoop {

    /** Floats per version: 4 MB of data, so that a kill often lands inside a write. */
    static final int FLOATS = 1 << 20;

    private AtomicWriteLoop() {
    }

    /** Version {@code v} (0 or 1) of the tensor; the two differ in every element. */
    static Tensor version(int v) {
        float[] data = new float[FLOATS];
        for (int i = 0; i < FLOATS; i++) {
            data[i] = v == 0 ? i : -i - 1;
        }
        return Tensor.wrap(data, FLOATS);
    }

    /** {@code args[0]}: the file to write. */
    public static void main(String[] args) throws IOException {
        Path target = Path.of(args[0]);
        Tensor[] versions = {version(0), version(1)};
        System.out.println("ready");
        System.out.flush();
        for (int i = 0; ; i++) {
            int v = i % 2;
            SafeTensors.write(target, Map.of("w", versions[v]), Map.of("version", Integer.toString(v)));
            System.out.println("wrote " + v);
            System.out.flush();
        }
    }
}
