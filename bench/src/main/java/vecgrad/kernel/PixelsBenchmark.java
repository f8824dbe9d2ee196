package vecgrad.kernel;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One batch of 128 MNIST images (784 pixels each) turned into floats row by row, as {@code Batches}
 * fills a training batch from a pixel {@code Dataset}: {@link Kernels#pixelsToFloats} with the SIMD
 * kernels or their scalar twin (a table read per pixel).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class PixelsBenchmark {

    private static final int ROWS = 128;
    private static final int FEATURES = 784;

    @Param({"simd", "scalar"})
    public String kernel;

    private Kernels kernels;
    private byte[] pixels;
    private float[] batch;

    @Setup
    public void setUp() {
        kernels = "simd".equals(kernel) ? KernelProvider.simd(0) : ScalarKernels.INSTANCE;
        pixels = new byte[60_000 * FEATURES];
        new Random(1).nextBytes(pixels);
        batch = new float[ROWS * FEATURES];
    }

    /** Rows 0, 467, 934, ... of the images: spread over the array as a shuffled batch is. */
    @Benchmark
    public float[] batch() {
        for (int r = 0; r < ROWS; r++) {
            kernels.pixelsToFloats(pixels, (r * 467) * FEATURES, batch, r * FEATURES, FEATURES);
        }
        return batch;
    }
}
