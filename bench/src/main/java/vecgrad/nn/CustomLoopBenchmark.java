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
import vecgrad.data.Batches;
import vecgrad.optim.Adam;
import vecgrad.tensor.Backend;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * One epoch of 10 training steps of the report's network (784-256-128-64-10, ReLU, softmax,
 * categorical cross-entropy, Adam 1e-3, batch 128) on 1280 random samples, three ways:
 * {@code customLoop} is README's "example: tape" loop as written (a GradientTape per step, no
 * BufferPool), {@code customLoopPooled} the same inside a BufferPool scope per step, {@code fit} is
 * {@code Sequential.fit} for one epoch (its accuracy metric included). Time per epoch divided by 10 is
 * the time per step; {@code -prof gc}'s B/op divided by 10 is the bytes per step. For {@code fit} that
 * includes what each call allocates once (its pools' first step, about 2.6 MB here), so its steady
 * bytes per step are {@code StepAllocationTest}'s to check, not this figure's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class CustomLoopBenchmark {

    private static final int SAMPLES = 1280;
    private static final int BATCH = 128;

    @Param({"2"})
    public int threads;

    private Tensor x;
    private Tensor y;
    private Sequential model;
    private Adam optimizer;
    private Loss lossFn;
    private List<Variable> vars;
    private BufferPool pool;
    private Batches batches;
    private long epoch;

    @Setup(Level.Trial)
    public void setUp() {
        Backend.setThreads(threads);
        Random rng = new Random(1);
        x = Tensor.randomUniform(rng, 0f, 1f, SAMPLES, 784);
        y = Tensor.zeros(SAMPLES, 10);
        for (int i = 0; i < SAMPLES; i++) {
            y.data()[i * 10 + rng.nextInt(10)] = 1f;
        }
        model = new Sequential(784, 42, new Dense(256, Activation.RELU), new Dense(128, Activation.RELU),
                new Dense(64, Activation.RELU), new Dense(10, Activation.SOFTMAX));
        optimizer = new Adam(1e-3f);
        lossFn = Loss.categoricalCrossentropy();
        model.compile(new Adam(1e-3f), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        vars = model.trainableVariables();
        pool = new BufferPool();
        // Made once, as README's loop makes it: each pass over it reshuffles into the same batch buffers.
        batches = Batches.shuffled(x, y, BATCH, new Random(42));
    }

    /** README's custom loop, as written. */
    @Benchmark
    public Object customLoop() {
        for (Batches.Batch b : batches) {
            try (GradientTape tape = new GradientTape()) {
                Tensor loss = lossFn.call(b.y(), model.call(b.x(), true));
                optimizer.applyGradients(tape.gradient(loss, vars), vars);
            }
        }
        return vars.get(0);
    }

    /** The same loop with a BufferPool scope per step. */
    @Benchmark
    public Object customLoopPooled() {
        for (Batches.Batch b : batches) {
            try (BufferPool.Scope step = pool.enter(); GradientTape tape = new GradientTape()) {
                Tensor loss = lossFn.call(b.y(), model.call(b.x(), true));
                optimizer.applyGradients(tape.gradient(loss, vars), vars);
            }
        }
        return vars.get(0);
    }

    /** One epoch of {@code fit}, silent. */
    @Benchmark
    public Object fit() {
        return model.fit(x, y, FitOptions.defaults().epochs(1).batchSize(BATCH).seed(epoch++).verbose(0));
    }
}
