package vecgrad.data;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One epoch of shuffled batches from an MNIST-sized pixel dataset (60,000 images of 784 bytes, about
 * 80% of them 0 as in MNIST; batch 128, one-hot labels over 10 classes): what {@code fit} and
 * README's loop do before each step, the pixels read as {@code p / 255f} into the batch buffer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class BatchesBenchmark {

    private Batches batches;

    @Setup(Level.Trial)
    public void setUp() {
        Random random = new Random(3);
        int rows = 60_000;
        byte[] pixels = new byte[rows * 784];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextFloat() < 0.8f ? 0 : (byte) (1 + random.nextInt(255));
        }
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = random.nextInt(10);
        }
        batches = Batches.shuffled(Dataset.ofPixels(pixels, 784, labels), 10, 128, new Random(42));
    }

    /** One pass: 469 batches filled; returns a value of the last so that nothing is dead code. */
    @Benchmark
    public float epoch() {
        float sum = 0;
        for (Batches.Batch b : batches) {
            sum += b.x().data()[b.x().size() - 1];
        }
        return sum;
    }
}
