package vecgrad.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import vecgrad.optim.Adam;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * What the optimizer's finiteness checks cost on the report network's 242,762 weights: one Adam step
 * through {@link Adam#applyGradients} (gradients scanned before, weights after), the same step as the
 * bare {@link Kernels#adamUpdate} calls, and one {@link Kernels#firstNonFinite} scan of every weight.
 * Times per operation, in microseconds; compare them within one run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class FiniteCheckBenchmark {

    private static final int[][] SHAPES = {{784, 256}, {256}, {256, 128}, {128}, {128, 64}, {64}, {64, 10}, {10}};

    private final List<Variable> variables = new ArrayList<>();
    private final List<Tensor> gradients = new ArrayList<>();
    private final List<float[][]> moments = new ArrayList<>();
    private Kernels kernels;
    private Adam adam;

    @Setup
    public void setUp() {
        kernels = KernelProvider.get();
        Random rng = new Random(1);
        for (int i = 0; i < SHAPES.length; i++) {
            variables.add(Variable.of("v" + i, Tensor.randomNormal(rng, 0, 0.05f, SHAPES[i])));
            gradients.add(Tensor.randomNormal(rng, 0, 1e-3f, SHAPES[i]));
            int n = variables.get(i).size();
            moments.add(new float[][] {new float[n], new float[n]});
        }
        // A learning rate so small that a million steps leave the weights where they are.
        adam = new Adam(1e-12f);
    }

    /** One checked step: scan the gradients, update, scan the weights. */
    @Benchmark
    public long adamApplyGradients() {
        adam.applyGradients(gradients, variables);
        return adam.iterations();
    }

    /** The same update without the checks. */
    @Benchmark
    public float adamKernelsOnly() {
        for (int i = 0; i < variables.size(); i++) {
            Variable w = variables.get(i);
            float[][] mv = moments.get(i);
            kernels.adamUpdate(w.data(), gradients.get(i).data(), mv[0], mv[1], null, w.size(), 1e-12f, 0.1f, 0.001f, 1e-7f,
                    1e-3f, 0f);
        }
        return variables.get(0).data()[0];
    }

    /** One scan of all 242,762 weights. */
    @Benchmark
    public int scanAllWeights() {
        int found = 0;
        for (Variable v : variables) {
            found += kernels.firstNonFinite(v.data(), v.size());
        }
        return found;
    }
}
