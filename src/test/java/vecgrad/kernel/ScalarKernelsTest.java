package vecgrad.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static vecgrad.kernel.KernelTesting.assertSameBits;
import static vecgrad.kernel.KernelTesting.randomArray;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The reference kernels against independent computations: matrix products against a double-precision
 * product, the rest against values worked out by hand or in double.
 */
final class ScalarKernelsTest {

    private final ScalarKernels kernels = ScalarKernels.INSTANCE;

    private static final int[][] SHAPES = {{1, 1, 1}, {2, 7, 3}, {17, 31, 16}, {7, 785, 15}, {129, 16, 2}, {3, 129, 127}};

    /**
     * Tolerance: each output is a chain of k fmas, one rounding each, so its error is at most
     * γ = k·u/(1 - k·u) times Σ|a·b| (+ |old c|), with u = 2^-24 the float unit roundoff (Higham,
     * Accuracy and Stability of Numerical Algorithms, §3.1). The double reference adds ~2^-53 relative.
     */
    @Test
    void matmul_matchesDoubleReferenceWithinRoundingBound() {
        Random random = new Random(11);
        for (int[] shape : SHAPES) {
            int m = shape[0];
            int k = shape[1];
            int n = shape[2];
            float[] a = randomArray(random, m * k);
            float[] b = randomArray(random, k * n);
            float[] old = randomArray(random, m * n);
            for (boolean accumulate : new boolean[] {false, true}) {
                float[] c = old.clone();
                kernels.matmul(a, b, c, m, k, n, accumulate);
                double u = Math.ulp(1.0f) / 2;
                double gamma = (k + 1) * u / (1 - (k + 1) * u);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double exact = accumulate ? old[i * n + j] : 0;
                        double magnitude = Math.abs(exact);
                        for (int p = 0; p < k; p++) {
                            double term = (double) a[i * k + p] * b[p * n + j];
                            exact += term;
                            magnitude += Math.abs(term);
                        }
                        assertThat((double) c[i * n + j]).as("m=%d k=%d n=%d c[%d][%d]", m, k, n, i, j)
                                .isCloseTo(exact, within(gamma * magnitude + Double.MIN_VALUE));
                    }
                }
            }
        }
    }

    /** All three products run the same fma chain per element, so on transposed copies they agree exactly. */
    @Test
    void transposedVariants_sameBitsAsMatmulOnTransposedCopies() {
        Random random = new Random(12);
        for (int[] shape : SHAPES) {
            int m = shape[0];
            int k = shape[1];
            int n = shape[2];
            float[] a = randomArray(random, m * k);
            float[] b = randomArray(random, k * n);
            float[] old = randomArray(random, m * n);
            for (boolean accumulate : new boolean[] {false, true}) {
                float[] expected = old.clone();
                kernels.matmul(a, b, expected, m, k, n, accumulate);
                float[] transA = old.clone();
                kernels.matmulTransA(transpose(a, m, k), b, transA, m, k, n, accumulate);
                assertSameBits(expected, transA, "matmulTransA m=" + m + " k=" + k + " n=" + n);
                float[] transB = old.clone();
                kernels.matmulTransB(a, transpose(b, k, n), transB, m, k, n, accumulate);
                assertSameBits(expected, transB, "matmulTransB m=" + m + " k=" + k + " n=" + n);
            }
        }
    }

    private static float[] transpose(float[] x, int rows, int cols) {
        float[] t = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = x[i * cols + j];
            }
        }
        return t;
    }

    @Test
    void matmul_smallExampleByHand() {
        // (1 2; 3 4) · (5 6; 7 8) = (19 22; 43 50)
        float[] c = new float[4];
        kernels.matmul(new float[] {1, 2, 3, 4}, new float[] {5, 6, 7, 8}, c, 2, 2, 2, false);
        assertThat(c).containsExactly(19, 22, 43, 50);
        kernels.matmul(new float[] {1, 2, 3, 4}, new float[] {5, 6, 7, 8}, c, 2, 2, 2, true);
        assertThat(c).containsExactly(38, 44, 86, 100);
    }

    @Test
    void relu_zeroForNonPositive_NaNPassesThrough() {
        float[] x = {-1f, -0f, 0f, 2.5f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE};
        float[] out = new float[x.length];
        kernels.relu(x, out, x.length);
        assertSameBits(new float[] {0f, 0f, 0f, 2.5f, Float.NaN, Float.POSITIVE_INFINITY, 0f, Float.MIN_VALUE}, out,
                "relu");
    }

    @Test
    void unsignedBytesToFloats_isTheUnsignedValueOverTheDivisor() {
        byte[] src = new byte[260];
        for (int i = 0; i < 256; i++) {
            src[i + 4] = (byte) i;
        }
        float[] out = new float[300];
        out[9] = 7f;
        out[266] = 7f;
        kernels.unsignedBytesToFloats(src, 4, out, 10, 256, 255f);
        for (int p = 0; p < 256; p++) {
            assertThat(Float.floatToRawIntBits(out[10 + p])).as("pixel %d", p).isEqualTo(Float.floatToRawIntBits(p / 255f));
        }
        assertThat(out[9]).as("before the span").isEqualTo(7f);
        assertThat(out[266]).as("after the span").isEqualTo(7f);
        kernels.unsignedBytesToFloats(new byte[] {(byte) 200, 0}, 0, out, 0, 2, 0f);
        assertThat(out[0]).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(out[1]).isNaN();
    }

    @Test
    void firstNonFinite_indexOfTheFirstNaNOrInfinity() {
        float[] x = {1f, -0f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, 7f};
        assertThat(kernels.firstNonFinite(x, x.length)).isEqualTo(-1);
        assertThat(kernels.firstNonFinite(new float[0], 0)).isEqualTo(-1);
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            float[] y = x.clone();
            y[4] = bad;
            y[5] = Float.NaN;
            assertThat(kernels.firstNonFinite(y, y.length)).as("%s", bad).isEqualTo(4);
            assertThat(kernels.firstNonFinite(y, 4)).as("only the first n count").isEqualTo(-1);
        }
    }

    @Test
    void reluBackward_passesGradientWhereInputPositive() {
        float[] out = new float[4];
        kernels.reluBackward(new float[] {-1f, 0f, 3f, Float.NaN}, new float[] {10f, 20f, 30f, 40f}, out, 4);
        assertThat(out).containsExactly(0f, 0f, 30f, 0f);
    }

    @Test
    void elementwiseArithmetic_byHand() {
        float[] out = new float[3];
        kernels.scale(0.5f, new float[] {2f, -4f, 1f}, out, 3);
        assertThat(out).containsExactly(1f, -2f, 0.5f);
        kernels.add(new float[] {1f, 2f, 3f}, new float[] {10f, 20f, 30f}, out, 3);
        assertThat(out).containsExactly(11f, 22f, 33f);
        kernels.mul(new float[] {1f, 2f, 3f}, new float[] {10f, 20f, -30f}, out, 3);
        assertThat(out).containsExactly(10f, 40f, -90f);
        float[] y = {1f, 1f, 1f};
        kernels.axpy(2f, new float[] {1f, -2f, 0.25f}, y, 3);
        assertThat(y).containsExactly(3f, -3f, 1.5f);
    }

    @Test
    void axpy_roundsTheProductBeforeTheSum() {
        // alpha·x = (1 + 2^-23)² = 1 + 2^-22 + 2^-46 rounds to 1 + 2^-22 before -1 is added: 2^-22.
        // A fused multiply-add would keep the 2^-46.
        float x = 1f + 0x1p-23f;
        float[] y = {-1f};
        kernels.axpy(x, new float[] {x}, y, 1);
        assertThat(y[0]).isEqualTo(0x1p-22f);
    }

    @Test
    void addRowVector_addsBiasToEveryRow() {
        float[] out = new float[6];
        kernels.addRowVector(new float[] {1, 2, 3, 4, 5, 6}, new float[] {10, 20, 30}, out, 2, 3);
        assertThat(out).containsExactly(11, 22, 33, 14, 25, 36);
    }

    @Test
    void columnSums_sumsRowsAndAccumulates() {
        float[] out = {100f, 200f};
        kernels.columnSums(new float[] {1, 2, 3, 4, 5, 6}, out, 3, 2, false);
        assertThat(out).containsExactly(9f, 12f);
        kernels.columnSums(new float[] {1, 2, 3, 4, 5, 6}, out, 3, 2, true);
        assertThat(out).containsExactly(18f, 24f);
    }

    @Test
    void softmaxRows_matchesDoubleReferenceAndIsStable() {
        float[] x = {1f, 2f, 3f, 1000f, 1001f, 1002f, -5f, -5f, -5f};
        float[] out = new float[9];
        kernels.softmaxRows(x, out, 3, 3);
        for (int i = 0; i < 3; i++) {
            double max = Math.max(x[3 * i], Math.max(x[3 * i + 1], x[3 * i + 2]));
            double sum = 0;
            for (int j = 0; j < 3; j++) {
                sum += Math.exp(x[3 * i + j] - max);
            }
            for (int j = 0; j < 3; j++) {
                // A few float roundings (exp, sum of 3, reciprocal, product): 1e-6 relative is ample.
                assertThat((double) out[3 * i + j]).isCloseTo(Math.exp(x[3 * i + j] - max) / sum, within(1e-6));
            }
        }
        assertThat(out[6]).isEqualTo(out[7]).isEqualTo(out[8]);
    }

    @Test
    void argmaxRows_firstIndexOnTies() {
        int[] out = new int[3];
        kernels.argmaxRows(new float[] {1f, 3f, 3f, -1f, -2f, -1f, 0f, 0f, 5f}, out, 3, 3);
        assertThat(out).containsExactly(1, 0, 2);
    }

    @Test
    void adamUpdate_matchesDoubleReference() {
        float[] w = {0.5f, -1f, 2f};
        float[] g = {0.1f, -0.2f, 0f};
        float[] m = {0f, 0.05f, 0.01f};
        float[] v = {0f, 0.01f, 0.001f};
        float alpha = 1e-3f;
        float beta1 = 0.9f;
        float beta2 = 0.999f;
        float epsilon = 1e-7f;
        double[][] expected = new double[3][3];
        for (int i = 0; i < 3; i++) {
            double mi = m[i] + (g[i] - m[i]) * (1 - (double) beta1);
            double vi = v[i] + ((double) g[i] * g[i] - v[i]) * (1 - (double) beta2);
            expected[0][i] = w[i] - alpha * mi / (Math.sqrt(vi) + epsilon);
            expected[1][i] = mi;
            expected[2][i] = vi;
        }
        kernels.adamUpdate(w, g, m, v, null, 3, alpha, (float) (1 - (double) beta1), (float) (1 - (double) beta2), epsilon,
                1f, 0f);
        for (int i = 0; i < 3; i++) {
            // A handful of float roundings per element: 1e-6 relative (about 8 ulps) is ample.
            assertThat((double) w[i]).isCloseTo(expected[0][i], within(1e-6 * Math.abs(expected[0][i])));
            assertThat((double) m[i]).isCloseTo(expected[1][i], within(1e-6 * Math.abs(expected[1][i])));
            assertThat((double) v[i]).isCloseTo(expected[2][i], within(1e-6 * Math.abs(expected[2][i])));
        }
        assertThat(w[2]).isLessThan(2f); // a positive momentum moves the weight down even at zero gradient
    }
}
