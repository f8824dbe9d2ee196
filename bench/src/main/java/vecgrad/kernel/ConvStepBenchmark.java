package vecgrad.kernel;

import java.util.List;
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
import vecgrad.autodiff.BufferPool;
import vecgrad.autodiff.GradientTape;
import vecgrad.nn.Activation;
import vecgrad.nn.Conv2D;
import vecgrad.nn.Dense;
import vecgrad.nn.Dropout;
import vecgrad.nn.Flatten;
import vecgrad.nn.Loss;
import vecgrad.nn.MaxPooling2D;
import vecgrad.nn.Sequential;
import vecgrad.optim.Adam;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * One training step of Keras' Simple MNIST convnet (Conv2D(32, 3) relu, MaxPooling2D(2), Conv2D(64, 3)
 * relu, MaxPooling2D(2), Flatten, Dropout(0.5), Dense(10, softmax)), batch 128 of (28, 28, 1): the
 * forward, the tape's backward and Adam, inside a BufferPool scope as {@code fit} runs it. One
 * operation is one step; the SIMD kernels of this JVM, on 1 and 2 threads.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class ConvStepBenchmark {

    @Param({"1", "2"})
    public int threads;

    private Sequential model;
    private Adam optimizer;
    private Loss loss;
    private List<Variable> variables;
    private BufferPool pool;
    private Tensor x;
    private Tensor y;

    @Setup
    public void setUp() {
        Parallel.setThreads(threads);
        model = new Sequential(new int[] {28, 28, 1}, 42,
                new Conv2D(32, 3, Activation.RELU), new MaxPooling2D(2),
                new Conv2D(64, 3, Activation.RELU), new MaxPooling2D(2),
                new Flatten(), new Dropout(0.5), new Dense(10, Activation.SOFTMAX));
        optimizer = new Adam(1e-3f);
        loss = Loss.categoricalCrossentropy();
        variables = model.trainableVariables();
        pool = new BufferPool();
        Random random = new Random(7);
        // Pixels in [0, 1) as MNIST's; one-hot labels of random classes.
        x = Tensor.randomUniform(random, 0f, 1f, 128, 28, 28, 1);
        float[] labels = new float[128 * 10];
        for (int i = 0; i < 128; i++) {
            labels[i * 10 + random.nextInt(10)] = 1f;
        }
        y = Tensor.of(labels, 128, 10);
    }

    @Benchmark
    public Tensor step() {
        try (BufferPool.Scope scope = pool.enter(); GradientTape tape = new GradientTape()) {
            Tensor l = loss.call(y, model.call(x, true));
            optimizer.applyGradients(tape.gradient(l, variables), variables);
            return l;
        }
    }
}
