package vecgrad.kernel;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * This machine's SIMD ceiling in the same run as the kernels: 24 independent fma chains in
 * registers (the shape of the SGEMM register tile) on {@code FloatVector.SPECIES_PREFERRED}.
 * Every operation does {@link #FLOPS} floating-point operations whatever the width; with
 * {@code @Threads(2)} JMH sums both threads' operations.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class SimdPeakBenchmark {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Floating-point operations per benchmark operation: 24 chains · 2 (multiply and add) · 16384 lanes. */
    public static final long FLOPS = 24L * 2 * 16384;
    private static final int STEPS = 16384 / S.length();

    private float x = 0.5f;
    private float y = 1e-3f;

    @Benchmark
    @Threads(1)
    public float fmaPeak1() {
        return fmaLoop();
    }

    @Benchmark
    @Threads(2)
    public float fmaPeak2() {
        return fmaLoop();
    }

    private float fmaLoop() {
        FloatVector a = FloatVector.broadcast(S, x);
        FloatVector b = FloatVector.broadcast(S, y);
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00, c04 = c00, c05 = c00;
        FloatVector c06 = c00, c07 = c00, c08 = c00, c09 = c00, c10 = c00, c11 = c00;
        FloatVector c12 = c00, c13 = c00, c14 = c00, c15 = c00, c16 = c00, c17 = c00;
        FloatVector c18 = c00, c19 = c00, c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        for (int i = 0; i < STEPS; i++) {
            c00 = a.fma(b, c00); c01 = a.fma(b, c01); c02 = a.fma(b, c02); c03 = a.fma(b, c03);
            c04 = a.fma(b, c04); c05 = a.fma(b, c05); c06 = a.fma(b, c06); c07 = a.fma(b, c07);
            c08 = a.fma(b, c08); c09 = a.fma(b, c09); c10 = a.fma(b, c10); c11 = a.fma(b, c11);
            c12 = a.fma(b, c12); c13 = a.fma(b, c13); c14 = a.fma(b, c14); c15 = a.fma(b, c15);
            c16 = a.fma(b, c16); c17 = a.fma(b, c17); c18 = a.fma(b, c18); c19 = a.fma(b, c19);
            c20 = a.fma(b, c20); c21 = a.fma(b, c21); c22 = a.fma(b, c22); c23 = a.fma(b, c23);
        }
        FloatVector sum = c00.add(c01).add(c02).add(c03).add(c04).add(c05).add(c06).add(c07)
                .add(c08).add(c09).add(c10).add(c11).add(c12).add(c13).add(c14).add(c15)
                .add(c16).add(c17).add(c18).add(c19).add(c20).add(c21).add(c22).add(c23);
        return sum.reduceLanes(VectorOperators.ADD);
    }
}
