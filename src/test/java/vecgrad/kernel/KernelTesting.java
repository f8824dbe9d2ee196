package vecgrad.kernel;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import vecgrad.testing.ChildJava;

/** Inputs and comparisons shared by the kernel tests. */
final class KernelTesting {

    /** The awkward sizes every dimension of every kernel is tested at: around 1, a vector, a tile, a K block. */
    static final int[] SIZES = {1, 2, 7, 15, 16, 17, 31, 127, 129, 784, 785};

    private KernelTesting() {
    }

    /** Gaussian values with about one in 16 replaced by +0, -0 or a value of another scale. */
    static float[] randomArray(Random random, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            int pick = random.nextInt(16);
            x[i] = pick == 0 ? 0f : pick == 1 ? -0f : pick == 2 ? (float) random.nextGaussian() * 1e4f
                    : (float) random.nextGaussian();
        }
        return x;
    }

    /** {@link #randomArray} plus NaN, infinities and subnormals, for the elementwise kernels. */
    static float[] randomArrayWithSpecials(Random random, int n) {
        float[] x = randomArray(random, n);
        float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE,
            -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE};
        for (int i = 0; i < n; i++) {
            if (random.nextInt(16) == 0) {
                x[i] = specials[random.nextInt(specials.length)];
            }
        }
        return x;
    }

    /** Fails at the first element that is a different float: +0 and -0 differ, any NaN matches any NaN. */
    static void assertSameBits(float[] expected, float[] actual, String what) {
        if (expected.length != actual.length) {
            fail(what + ": length " + actual.length + ", expected " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                fail(what + ": element " + i + " is " + actual[i] + " (bits " + Integer.toHexString(Float.floatToRawIntBits(actual[i]))
                        + "), expected " + expected[i] + " (bits " + Integer.toHexString(Float.floatToRawIntBits(expected[i])) + ")");
            }
        }
    }

    /** A matrix product of one variant ({@link SimdGemm#AB}, {@code ATB} or {@code ABT}), as kernels or a SimdGemm compute it. */
    @FunctionalInterface
    interface Product {
        void multiply(int variant, float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate);
    }

    /** {@code kernels}' product of the variant: matmul, matmulTransA or matmulTransB. */
    static void product(Kernels kernels, int variant, float[] a, float[] b, float[] c, int m, int k, int n,
                        boolean accumulate) {
        switch (variant) {
            case SimdGemm.AB -> kernels.matmul(a, b, c, m, k, n, accumulate);
            case SimdGemm.ATB -> kernels.matmulTransA(a, b, c, m, k, n, accumulate);
            default -> kernels.matmulTransB(a, b, c, m, k, n, accumulate);
        }
    }

    /**
     * Checks {@code product} of the variant against the scalar kernels, bit for bit, on random a, b and
     * old c for each shape {@code (m, k, n)}, writing and accumulating; returns the products checked.
     */
    static int productSameBitsAsScalar(Product product, int variant, Random random, Iterable<int[]> shapes,
                                       String what) {
        int checked = 0;
        for (int[] s : shapes) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            float[] a = randomArray(random, m * k);
            float[] b = randomArray(random, k * n);
            float[] old = randomArray(random, m * n);
            for (boolean accumulate : new boolean[] {false, true}) {
                float[] expected = old.clone();
                float[] actual = old.clone();
                product(ScalarKernels.INSTANCE, variant, a, b, expected, m, k, n, accumulate);
                product.multiply(variant, a, b, actual, m, k, n, accumulate);
                assertSameBits(expected, actual, what + ", variant " + variant + " m=" + m + " k=" + k + " n=" + n
                        + (accumulate ? " accumulating" : ""));
                checked++;
            }
        }
        return checked;
    }

    /** The SIMD kernels at {@code bits}, splitting every product over threads; null if this CPU lacks the width. */
    static Kernels simdOrNull(int bits) {
        try {
            return new SimdKernels(bits, 0);
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }

    /**
     * Runs {@code mainClass} from the test class path in a new JVM with the extra {@code jvmArgs};
     * returns its exit code and output (stdout, then stderr).
     */
    static ChildResult runJava(List<String> jvmArgs, Class<?> mainClass, String... args) throws IOException, InterruptedException {
        ChildJava.Result r = ChildJava.run(ChildJava.testClassPath(), jvmArgs, mainClass.getName(), Duration.ofSeconds(120),
                List.of(args));
        return new ChildResult(r.status(), r.output());
    }

    record ChildResult(int exitCode, String output) {
    }
}
