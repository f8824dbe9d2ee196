package vecgrad.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static vecgrad.kernel.KernelTesting.SIZES;
import static vecgrad.kernel.KernelTesting.assertSameBits;
import static vecgrad.kernel.KernelTesting.randomArray;
import static vecgrad.kernel.KernelTesting.randomArrayWithSpecials;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SIMD kernels against their scalar twins, at every vector width this CPU has and on 1, 2 and 3
 * threads.
 *
 * <p>Tolerance: none. Results must be the same floats (same bits; any NaN matches any NaN, since Java
 * leaves NaN payloads unspecified). That is the contract, not luck: every matrix-product element is
 * one fma chain over k in increasing order in both implementations, whatever the tiling, K blocking
 * or thread split, and each elementwise lane performs the scalar loop's operations in its order.
 * A reordered sum, a missed fma or a wrong edge would differ in the last bits and fail here.
 */
final class SimdKernelsTest {

    private int savedThreads;

    @BeforeAll
    static void requireVectorModule() {
        assumeTrue(KernelProvider.vectorModulePresent(),
                "jdk.incubator.vector is not in the boot layer (run with --add-modules jdk.incubator.vector)");
    }

    @BeforeEach
    void saveThreads() {
        savedThreads = Parallel.threads();
    }

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    /**
     * Every size of {@link KernelTesting#SIZES} in each of m, k and n, with the other two small and
     * varied (the full cross product would take minutes), plus shapes with several tiles, strips,
     * ragged edges and two K blocks at once.
     */
    static List<int[]> matmulShapes() {
        int[] small = {1, 2, 7, 15, 16, 17, 31};
        List<int[]> shapes = new ArrayList<>();
        for (int position = 0; position < 3; position++) {
            for (int i = 0; i < SIZES.length; i++) {
                int[] shape = {small[i % small.length], small[(i + 3) % small.length], small[(i + 5) % small.length]};
                shape[position] = SIZES[i];
                shapes.add(shape);
            }
        }
        shapes.add(new int[] {31, 785, 129});
        shapes.add(new int[] {129, 127, 31});
        shapes.add(new int[] {17, 129, 785});
        return shapes;
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void matmul_sameBitsAsScalar(int bits) {
        checkProducts(bits, SimdGemm.AB);
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void matmulTransA_sameBitsAsScalar(int bits) {
        checkProducts(bits, SimdGemm.ATB);
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void matmulTransB_sameBitsAsScalar(int bits) {
        checkProducts(bits, SimdGemm.ABT);
    }

    private static void checkProducts(int bits, int variant) {
        Kernels simd = simd(bits);
        Random random = new Random(variant * 1000 + bits);
        for (int threads = 1; threads <= 3; threads++) {
            Parallel.setThreads(threads);
            KernelTesting.productSameBitsAsScalar((v, a, b, c, m, k, n, acc) -> KernelTesting.product(simd, v, a, b, c, m, k,
                    n, acc), variant, random, matmulShapes(), simd.name() + " threads=" + threads);
        }
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void matmul_emptyDimensions(int bits) {
        Kernels simd = simd(bits);
        float[] c = {5f, 6f};
        simd.matmul(new float[0], new float[0], c, 1, 0, 2, true);
        assertThat(c).containsExactly(5f, 6f);
        simd.matmulTransB(new float[0], new float[0], c, 2, 0, 1, false);
        assertThat(c).containsExactly(0f, 0f);
        c[0] = 7f;
        simd.matmulTransA(new float[0], new float[3], c, 0, 3, 1, false);
        assertThat(c[0]).isEqualTo(7f);
    }

    /** Sizes for the elementwise kernels: 0, the awkward sizes, and one long enough for any width. */
    private static int[] elementwiseSizes() {
        int[] sizes = Arrays.copyOf(SIZES, SIZES.length + 2);
        sizes[SIZES.length] = 0;
        sizes[SIZES.length + 1] = 4099;
        return sizes;
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void elementwise_sameBitsAsScalar(int bits) {
        Kernels simd = simd(bits);
        Kernels scalar = ScalarKernels.INSTANCE;
        Random random = new Random(bits);
        for (int n : elementwiseSizes()) {
            assertElementwiseSameBits(simd, scalar, random, n, simd.name() + " n=" + n);
        }
    }

    /**
     * The elementwise kernels split over threads (SimdKernels.PARALLEL_ELEMENTWISE elements and more;
     * ranges of rows, of columns, and ranges that end inside a vector), at 1, 2 and 3 threads, give the
     * scalar twins' bits.
     */
    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void splitElementwise_sameBitsAsScalarAtAnyThreadCount(int bits) {
        Kernels simd = simd(bits);
        Kernels scalar = ScalarKernels.INSTANCE;
        Random random = new Random(bits + 11);
        int e = SimdKernels.PARALLEL_ELEMENTWISE;
        int[][] shapes = {{e / 32 - 1, 32}, {e / 32, 32}, {2049, 32}, {1031, 67}, {e / 37 + 5, 37}, {3, e / 3 + 7},
            {1, e + 1}};
        for (int threads = 1; threads <= 3; threads++) {
            Parallel.setThreads(threads);
            for (int n : new int[] {e - 1, e, e * 3 + 13}) {
                assertElementwiseSameBits(simd, scalar, random, n, simd.name() + " threads=" + threads + " n=" + n);
            }
            for (int[] shape : shapes) {
                assertRowKernelsSameBits(simd, scalar, random, shape[0], shape[1],
                        simd.name() + " threads=" + threads + " rows=" + shape[0] + " cols=" + shape[1]);
            }
        }
    }

    private static void assertElementwiseSameBits(Kernels simd, Kernels scalar, Random random, int n, String at) {
        float[] x = randomArrayWithSpecials(random, n);
        float[] y = randomArrayWithSpecials(random, n);
        float alpha = (float) random.nextGaussian();

        float[] expected = new float[n];
        float[] actual = new float[n];
        scalar.relu(x, expected, n);
        simd.relu(x, actual, n);
        assertSameBits(expected, actual, "relu " + at);

        scalar.reluBackward(x, y, expected, n);
        simd.reluBackward(x, y, actual, n);
        assertSameBits(expected, actual, "reluBackward " + at);

        scalar.scale(alpha, x, expected, n);
        simd.scale(alpha, x, actual, n);
        assertSameBits(expected, actual, "scale " + at);

        scalar.add(x, y, expected, n);
        simd.add(x, y, actual, n);
        assertSameBits(expected, actual, "add " + at);

        scalar.mul(x, y, expected, n);
        simd.mul(x, y, actual, n);
        assertSameBits(expected, actual, "mul " + at);

        expected = y.clone();
        actual = y.clone();
        scalar.axpy(alpha, x, expected, n);
        simd.axpy(alpha, x, actual, n);
        assertSameBits(expected, actual, "axpy " + at);

        // In place (out = x), which the contract allows for these kernels.
        expected = x.clone();
        actual = x.clone();
        scalar.relu(expected, expected, n);
        simd.relu(actual, actual, n);
        assertSameBits(expected, actual, "relu in place " + at);
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void firstNonFinite_sameIndexAsScalar(int bits) {
        Kernels simd = simd(bits);
        Kernels scalar = ScalarKernels.INSTANCE;
        Random random = new Random(bits + 7);
        float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (int n : elementwiseSizes()) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = (float) random.nextGaussian() * 1e30f;
            }
            assertThat(simd.firstNonFinite(x, n)).as("all finite, n=%d", n).isEqualTo(-1);
            for (int trial = 0; n > 0 && trial < 4; trial++) {
                float[] y = x.clone();
                y[random.nextInt(n)] = specials[trial % 3];
                y[random.nextInt(n)] = specials[(trial + 1) % 3];
                int expected = scalar.firstNonFinite(y, n);
                assertThat(expected).isNotNegative();
                assertThat(simd.firstNonFinite(y, n)).as("%s n=%d", simd.name(), n).isEqualTo(expected);
                assertThat(simd.firstNonFinite(y, expected)).as("before the first, n=%d", n).isEqualTo(-1);
            }
        }
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void unsignedBytesToFloats_sameBitsAsScalar(int bits) {
        Kernels simd = simd(bits);
        Kernels scalar = ScalarKernels.INSTANCE;
        Random random = new Random(bits + 11);
        // Every byte value (the sign-extension of 128-255 is where a wrong mask shows), at offsets that
        // put the vectors anywhere, with divisors whose quotients round differently, 0 and NaN included.
        byte[] src = new byte[2000];
        for (int i = 0; i < src.length; i++) {
            src[i] = (byte) (i < 256 ? i : random.nextInt(256));
        }
        for (float divisor : new float[] {255f, 3f, 1e-40f, -7.5f, 0f, Float.NaN}) {
            for (int n : new int[] {0, 1, 3, 4, 7, 8, 15, 16, 17, 256, 784, 999}) {
                int srcOff = n == 256 ? 0 : random.nextInt(src.length - n + 1);
                int dstOff = random.nextInt(40);
                float[] expected = new float[dstOff + n + 5];
                float[] actual = new float[dstOff + n + 5];
                scalar.unsignedBytesToFloats(src, srcOff, expected, dstOff, n, divisor);
                simd.unsignedBytesToFloats(src, srcOff, actual, dstOff, n, divisor);
                assertSameBits(expected, actual, simd.name() + " divisor " + divisor + " n=" + n + " from " + srcOff);
            }
        }
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void rowKernels_sameBitsAsScalar(int bits) {
        Kernels simd = simd(bits);
        Kernels scalar = ScalarKernels.INSTANCE;
        Random random = new Random(bits + 1);
        int[] rowCounts = {1, 2, 7, 17, 129};
        for (int i = 0; i < SIZES.length; i++) {
            int cols = SIZES[i];
            int rows = rowCounts[i % rowCounts.length];
            String at = simd.name() + " rows=" + rows + " cols=" + cols;
            assertRowKernelsSameBits(simd, scalar, random, rows, cols, at);

            float[] expected = new float[rows * cols];
            float[] actual = new float[rows * cols];

            float[] logits = randomArray(random, rows * cols);
            scalar.softmaxRows(logits, expected, rows, cols);
            simd.softmaxRows(logits, actual, rows, cols);
            assertSameBits(expected, actual, "softmaxRows " + at);

            int[] argExpected = new int[rows];
            int[] argActual = new int[rows];
            scalar.argmaxRows(logits, argExpected, rows, cols);
            simd.argmaxRows(logits, argActual, rows, cols);
            assertThat(argActual).as("argmaxRows " + at).containsExactly(argExpected);
        }
    }

    /** addRowVector and columnSums (both modes) give the twins' bits for one shape. */
    private static void assertRowKernelsSameBits(Kernels simd, Kernels scalar, Random random, int rows, int cols,
                                                 String at) {
        float[] x = randomArrayWithSpecials(random, rows * cols);
        float[] bias = randomArrayWithSpecials(random, cols);
        float[] expected = new float[rows * cols];
        float[] actual = new float[rows * cols];
        scalar.addRowVector(x, bias, expected, rows, cols);
        simd.addRowVector(x, bias, actual, rows, cols);
        assertSameBits(expected, actual, "addRowVector " + at);

        for (boolean accumulate : new boolean[] {false, true}) {
            float[] sumsExpected = bias.clone();
            float[] sumsActual = bias.clone();
            scalar.columnSums(x, sumsExpected, rows, cols, accumulate);
            simd.columnSums(x, sumsActual, rows, cols, accumulate);
            assertSameBits(sumsExpected, sumsActual, "columnSums accumulate=" + accumulate + " " + at);
        }
    }

    /** One optimizer kernel call on {@code (w, g, slot0, slot1, slot2)}, the slots each present or not. */
    private interface UpdateCall {
        void run(Kernels kernels, float[] w, float[] g, float[] s0, float[] s1, float[] s2, int n);
    }

    /**
     * Every optimizer update kernel, in each of its variants (optional slots, Nesterov, weight decay on
     * and off), three steps from random weights, gradients (NaN and infinities included) and slots.
     */
    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void optimizerUpdates_sameBitsAsScalar(int bits) {
        Kernels simd = simd(bits);
        Random random = new Random(bits + 2);
        for (int n : elementwiseSizes()) {
            assertUpdatesSameBits(simd, random, n, "");
        }
    }

    /**
     * The updates and the finiteness scan of variables large enough to be split over threads
     * (SimdKernels.PARALLEL_ELEMENTS and above, ranges that end inside a vector), at 1, 2 and 3
     * threads: the same bits as the one-thread scalar twin, so the split never changes a weight.
     */
    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void splitUpdates_sameBitsAsScalarAtAnyThreadCount(int bits) {
        Kernels simd = simd(bits);
        Random random = new Random(bits + 3);
        int[] sizes = {SimdKernels.PARALLEL_ELEMENTS - 1, SimdKernels.PARALLEL_ELEMENTS,
            SimdKernels.PARALLEL_ELEMENTS * 3 + 13, 784 * 256 + 5};
        for (int threads = 1; threads <= 3; threads++) {
            Parallel.setThreads(threads);
            for (int n : sizes) {
                assertUpdatesSameBits(simd, random, n, " threads=" + threads);
                float[] x = randomArray(random, n);
                assertThat(simd.firstNonFinite(x, n)).as("all finite, n=%d threads=%d", n, threads).isEqualTo(-1);
                // Bad values in the last part and in a middle one: the first (the middle one) is the answer.
                int late = n - 2;
                int middle = n / 2 + 1;
                x[late] = Float.NaN;
                assertThat(simd.firstNonFinite(x, n)).as("n=%d threads=%d", n, threads).isEqualTo(late);
                x[middle] = Float.NEGATIVE_INFINITY;
                assertThat(simd.firstNonFinite(x, n)).as("n=%d threads=%d", n, threads).isEqualTo(middle)
                        .isEqualTo(ScalarKernels.INSTANCE.firstNonFinite(x, n));
            }
        }
    }

    /** Every update call, three steps on the scalar twin and on {@code simd}, compared bit for bit. */
    private static void assertUpdatesSameBits(Kernels simd, Random random, int size, String where) {
        java.util.Map<String, UpdateCall> calls = new java.util.LinkedHashMap<>();
        for (float wd : new float[] {0f, 0.004f}) {
            for (boolean nesterov : new boolean[] {false, true}) {
                calls.put("sgd momentum nesterov=" + nesterov + " wd=" + wd,
                        (k, w, g, s0, s1, s2, n) -> k.sgdUpdate(w, g, s0, n, 0.01f, 0.9f, nesterov, wd));
            }
            calls.put("sgd plain wd=" + wd, (k, w, g, s0, s1, s2, n) -> k.sgdUpdate(w, g, null, n, 0.01f, 0f, false, wd));
            calls.put("adam wd=" + wd, (k, w, g, s0, s1, s2, n) -> k.adamUpdate(w, g, s0, s1, null, n, 1e-3f, 0.1f, 0.001f,
                    1e-7f, 0.01f, wd));
            calls.put("adam amsgrad wd=" + wd, (k, w, g, s0, s1, s2, n) -> k.adamUpdate(w, g, s0, s1, s2, n, 1e-3f, 0.1f,
                    0.001f, 1e-7f, 0.01f, wd));
            for (int variant = 0; variant < 4; variant++) {
                boolean centered = (variant & 1) != 0;
                boolean momentum = (variant & 2) != 0;
                calls.put("rmsprop centered=" + centered + " momentum=" + momentum + " wd=" + wd,
                        (k, w, g, s0, s1, s2, n) -> k.rmspropUpdate(w, g, s0, centered ? s1 : null, momentum ? s2 : null,
                                n, 1e-3f, 0.9f, 0.1f, 0.5f, 1e-7f, wd));
            }
            calls.put("adagrad wd=" + wd, (k, w, g, s0, s1, s2, n) -> k.adagradUpdate(w, g, s0, n, 1e-2f, 1e-7f, wd));
            calls.put("nadam wd=" + wd, (k, w, g, s0, s1, s2, n) -> k.nadamUpdate(w, g, s0, s1, n, 1e-3f, 0.1f, 0.001f,
                    0.46f, 0.79f, 0.53f, 0.55f, 0.002f, 1e-7f, wd));
            calls.put("adamax wd=" + wd, (k, w, g, s0, s1, s2, n) -> k.adamaxUpdate(w, g, s0, s1, n, 1e-3f, 0.1f, 0.999f,
                    0.19f, 1e-7f, wd));
        }
        for (java.util.Map.Entry<String, UpdateCall> call : calls.entrySet()) {
            float[] w = randomArrayWithSpecials(random, size);
            float[] g = randomArrayWithSpecials(random, size);
            float[][] slots = {randomArray(random, size), randomArray(random, size), randomArray(random, size)};
            for (float[] slot : slots) {
                for (int i = 0; i < size; i++) {
                    slot[i] = Math.abs(slot[i]);   // second moments and accumulators are >= 0
                }
            }
            float[][] expected = {w.clone(), slots[0].clone(), slots[1].clone(), slots[2].clone()};
            float[][] actual = {w.clone(), slots[0].clone(), slots[1].clone(), slots[2].clone()};
            for (int step = 0; step < 3; step++) {
                call.getValue().run(ScalarKernels.INSTANCE, expected[0], g, expected[1], expected[2], expected[3], size);
                call.getValue().run(simd, actual[0], g, actual[1], actual[2], actual[3], size);
            }
            for (int a = 0; a < 4; a++) {
                assertSameBits(expected[a], actual[a], call.getKey() + (a == 0 ? " w " : " slot " + (a - 1) + " ")
                        + simd.name() + " n=" + size + where);
            }
        }
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void name_recordsTheWidth(int bits) {
        assertThat(simd(bits).name()).isEqualTo("simd-" + bits);
    }

    @Test
    void name_preferredWidthIsOneOfTheSupported() {
        assertThat(new SimdKernels(0).name()).matches("simd-(128|256|512)");
    }

    @Test
    void constructor_rejectsOtherWidths() {
        for (int bits : new int[] {-1, 64, 100, 1024}) {
            assertThatThrownBy(() -> new SimdKernels(bits))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("128, 256 or 512")
                    .hasMessageContaining(String.valueOf(bits));
        }
    }

    @Test
    void constructor_widerThanTheCpuIsUnsupported() {
        int widest = Integer.parseInt(new SimdKernels(0).name().substring("simd-".length()));
        assumeTrue(widest < 512, "this CPU has 512-bit vectors: nothing wider to ask for");
        assertThatThrownBy(() -> new SimdKernels(widest * 2))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining(String.valueOf(widest));
    }

    /** The SIMD kernels at {@code bits}, splitting every product over threads; the test is skipped if the CPU lacks the width. */
    private static Kernels simd(int bits) {
        Kernels kernels = KernelTesting.simdOrNull(bits);
        assumeTrue(kernels != null, "this CPU has no " + bits + "-bit float vectors");
        return kernels;
    }
}
