package vecgrad.nn;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import vecgrad.data.Dataset;
import vecgrad.kernel.Parallel;
import vecgrad.optim.Adam;
import vecgrad.tensor.Tensor;

/**
 * {@code evaluate} and {@code predict} of the report's MLP (784-256-128-64-10) on 10,000 MNIST-like
 * rows (the test set), and {@code evaluate} of a 6,000-image pixel {@link Dataset} (fit's validation
 * of the report's run, which evaluates the last 10% of the training set this way), with the forward
 * pass on chunks of {@code chunkRows} rows: 32 is the old way (one model call per 32-row batch),
 * larger chunks are what {@link InferenceChunks} chooses. The results are the same bits for every
 * chunk size (ChunkedEvaluationTest); only the time differs.
 *
 * <p>The data are synthetic but MNIST-like, as in {@link TrainStepBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class EvaluateBenchmark {

    @Param({"1", "2"})
    public int threads;

    /** Rows per forward pass: 32 as before, or a chunk of several 32-row batches. */
    @Param({"32", "256", "1024"})
    public int chunkRows;

    private Sequential model;
    private Tensor testX;
    private Tensor testY;
    private Dataset validation;

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        InferenceChunks.rowsOverride = chunkRows;
        model = new Sequential(784, 42,
                new Dense(256, Activation.RELU), new Dense(128, Activation.RELU),
                new Dense(64, Activation.RELU), new Dense(10, Activation.SOFTMAX));
        model.compile(new Adam(1e-3f), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        if (InferenceChunks.rows(model) != chunkRows) {
            throw new IllegalStateException("expected chunks of " + chunkRows + " rows, got " + InferenceChunks.rows(model));
        }
        Random random = new Random(42);
        testX = images(random, 10_000);
        int[] testLabels = labels(random, 10_000);
        testY = Tensor.oneHot(testLabels, 10);
        byte[] pixels = new byte[6_000 * 784];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextFloat() < 0.8f ? 0 : (byte) (1 + random.nextInt(255));
        }
        validation = Dataset.ofPixels(pixels, 784, labels(random, 6_000));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        InferenceChunks.rowsOverride = 0;
    }

    private static Tensor images(Random random, int rows) {
        float[] data = new float[rows * 784];
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextFloat() < 0.8f ? 0f : 1f - random.nextFloat();
        }
        return Tensor.wrap(data, rows, 784);
    }

    private static int[] labels(Random random, int rows) {
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = random.nextInt(10);
        }
        return labels;
    }

    /** {@code evaluate} of 10,000 rows: loss and accuracy. */
    @Benchmark
    public Evaluation evaluate() {
        return model.evaluate(testX, testY);
    }

    /** {@code predict} of 10,000 rows. */
    @Benchmark
    public Tensor predict() {
        return model.predict(testX);
    }

    /** {@code evaluate} of a 6,000-image pixel dataset: fit's validation in the report's run. */
    @Benchmark
    public Evaluation validation() {
        return model.evaluate(validation);
    }
}
