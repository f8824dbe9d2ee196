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
 * The matrix products of the MNIST network (784-256-128-64-10, batch 128), one product per
 * operation: GFLOP/s = ops/s · 2mnk / 1e9 (bench/report.py does the arithmetic).
 *
 * <p>{@code product} is {@code VARIANT:MxKxN}: {@code AB} is {@code c (m,n) = a (m,k) · b (k,n)}
 * (forward, X·W), {@code ATB} is {@code aᵀ · b} with a (k,m) (dW = Xᵀ·δ), {@code ABT} is
 * {@code a · bᵀ} with b (n,k) (dX = δ·Wᵀ).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class GemmBenchmark {

    @Param({
        "AB:128x784x256", "AB:128x256x128", "AB:128x128x64", "AB:128x64x10",
        "ATB:784x128x256", "ATB:256x128x128", "ATB:128x128x64", "ATB:64x128x10",
        "ABT:128x256x784", "ABT:128x128x256", "ABT:128x64x128", "ABT:128x10x64",
    })
    public String product;

    @Param({"simd", "scalar"})
    public String kernel;

    @Param({"1", "2"})
    public int threads;

    private Kernels kernels;
    private String variant;
    private int m;
    private int k;
    private int n;
    private float[] a;
    private float[] b;
    private float[] c;

    @Setup
    public void setUp() {
        String[] parts = product.split(":");
        String[] dims = parts[1].split("x");
        variant = parts[0];
        m = Integer.parseInt(dims[0]);
        k = Integer.parseInt(dims[1]);
        n = Integer.parseInt(dims[2]);
        kernels = switch (kernel) {
            case "simd" -> KernelProvider.simd(0);
            case "scalar" -> ScalarKernels.INSTANCE;
            default -> throw new IllegalArgumentException("kernel must be simd or scalar, got " + kernel);
        };
        Parallel.setThreads(threads);
        Random random = new Random(42);
        a = random(random, m * k);
        b = random(random, k * n);
        c = new float[m * n];
    }

    private static float[] random(Random random, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }

    @Benchmark
    public float[] multiply() {
        switch (variant) {
            case "AB" -> kernels.matmul(a, b, c, m, k, n, false);
            case "ATB" -> kernels.matmulTransA(a, b, c, m, k, n, false);
            case "ABT" -> kernels.matmulTransB(a, b, c, m, k, n, false);
            default -> throw new IllegalStateException(variant);
        }
        return c;
    }
}
