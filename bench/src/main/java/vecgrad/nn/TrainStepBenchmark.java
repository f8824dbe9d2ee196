package vecgrad.nn;

import java.util.List;
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
import org.openjdk.jmh.annotations.Warmup;
import vecgrad.autodiff.BufferPool;
import vecgrad.autodiff.GradientTape;
import vecgrad.kernel.Parallel;
import vecgrad.optim.Adam;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * One whole training step of the report's MLP (784-256-128-64-10, batch 128, softmax
 * cross-entropy, Adam 1e-3), as {@code fit} runs it: inside a {@link BufferPool} scope, forward
 * under a {@link GradientTape}, the tape's backward, Adam's update. And one epoch of
 * {@code fit} (422 steps of 128, the report's 54,000 training images rounded up to whole batches).
 *
 * <p>The data are synthetic but MNIST-like: 784 pixels per row, about 80% of them 0 and the rest
 * uniform in (0, 1], one-hot labels over 10 classes, all from a fixed seed. The products cost the
 * same whatever the values; the ReLU masks and the softmax see realistic-looking inputs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class TrainStepBenchmark {

    static final int BATCH = 128;
    static final int STEPS_PER_EPOCH = 422;

    @Param({"1", "2"})
    public int threads;

    private Sequential model;
    private List<Variable> vars;
    private BufferPool pool;
    private Tensor x;
    private Tensor y;
    private Tensor epochX;
    private Tensor epochY;

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        model = new Sequential(784, 42,
                new Dense(256, Activation.RELU), new Dense(128, Activation.RELU),
                new Dense(64, Activation.RELU), new Dense(10, Activation.SOFTMAX));
        model.compile(new Adam(1e-3f), Loss.categoricalCrossentropy());
        vars = model.trainableVariables();
        pool = new BufferPool();
        Random random = new Random(42);
        epochX = images(random, STEPS_PER_EPOCH * BATCH);
        epochY = oneHot(random, STEPS_PER_EPOCH * BATCH);
        x = images(random, BATCH);
        y = oneHot(random, BATCH);
    }

    private static Tensor images(Random random, int rows) {
        float[] data = new float[rows * 784];
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextFloat() < 0.8f ? 0f : 1f - random.nextFloat();
        }
        return Tensor.wrap(data, rows, 784);
    }

    private static Tensor oneHot(Random random, int rows) {
        float[] data = new float[rows * 10];
        for (int i = 0; i < rows; i++) {
            data[i * 10 + random.nextInt(10)] = 1f;
        }
        return Tensor.wrap(data, rows, 10);
    }

    /** One step as FitLoop runs it; returns the loss so that nothing is dead code. */
    @Benchmark
    public float step() {
        try (BufferPool.Scope scope = pool.enter(); GradientTape tape = new GradientTape()) {
            Tensor prediction = model.call(x, true);
            Tensor loss = model.loss().call(y, prediction);
            float value = loss.item();
            model.optimizer().applyGradients(tape.gradient(loss, vars), vars);
            return value;
        }
    }

    /** One epoch of {@code fit}: 422 steps, no validation, silent. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 4)
    @Measurement(iterations = 5)
    public History epoch() {
        return model.fit(epochX, epochY, FitOptions.defaults().epochs(1).batchSize(BATCH).shuffle(false).verbose(0));
    }
}
