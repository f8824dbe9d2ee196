package vecgrad.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * im2col and col2im against their definitions, and the convolution's three products (forward,
 * input gradient, kernel gradient: im2col + GEMM, GEMM + col2im) with the same bits on the scalar
 * kernels and the SIMD kernels at every vector width this CPU has, split over threads.
 */
final class Im2colTest {

    /** 3 images of 11×13×3, a 5×3 window, strides (2, 1), dilation (1, 2), pads 2 and 3 before. */
    private static final Im2col.Geometry G = new Im2col.Geometry(3, 11, 13, 3, 5, 3, 2, 1, 1, 2, 2, 3, 6, 13);

    @Test
    void im2col_copiesEachPatchInKernelOrderWithZerosOutside() {
        float[] x = KernelTesting.randomArray(new Random(1), (int) G.inputSize());
        float[] cols = new float[(int) G.colsSize()];
        java.util.Arrays.fill(cols, Float.NaN);
        Im2col.im2col(x, cols, G);
        int r = 0;
        for (int b = 0; b < G.n(); b++) {
            for (int i = 0; i < G.oh(); i++) {
                for (int j = 0; j < G.ow(); j++, r++) {
                    for (int p = 0; p < G.kh(); p++) {
                        for (int q = 0; q < G.kw(); q++) {
                            for (int ch = 0; ch < G.c(); ch++) {
                                int hi = i * G.sh() - G.padTop() + p * G.dh();
                                int wi = j * G.sw() - G.padLeft() + q * G.dw();
                                boolean inside = hi >= 0 && hi < G.h() && wi >= 0 && wi < G.w();
                                float expected = inside ? x[((b * G.h() + hi) * G.w() + wi) * G.c() + ch] : 0f;
                                assertThat(cols[r * G.colsCols() + (p * G.kw() + q) * G.c() + ch]).isEqualTo(expected);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * col2im is im2col's adjoint: ⟨im2col(x), d⟩ = ⟨x, col2im(d)⟩, the dot products in double. col2im
     * sums in float32, so the two agree to float rounding (1e-6 relative), not to the bit; a lost or
     * misplaced contribution changes the result by far more.
     */
    @Test
    void col2im_isTheAdjointOfIm2col() {
        Random rng = new Random(2);
        float[] x = KernelTesting.randomArray(rng, (int) G.inputSize());
        float[] d = KernelTesting.randomArray(rng, (int) G.colsSize());
        float[] cols = new float[d.length];
        float[] dx = new float[x.length];
        java.util.Arrays.fill(dx, Float.NaN);
        Im2col.im2col(x, cols, G);
        Im2col.col2im(d, dx, G);
        double left = 0;
        double right = 0;
        for (int i = 0; i < d.length; i++) {
            left += (double) cols[i] * d[i];
        }
        for (int i = 0; i < x.length; i++) {
            right += (double) x[i] * dx[i];
        }
        assertThat(right).isCloseTo(left, org.assertj.core.data.Offset.offset(1e-6 * Math.abs(left)));
    }

    @Test
    void convolutionProducts_sameBitsOnScalarAndEveryWidth() {
        Random rng = new Random(3);
        int f = 7;
        int rows = G.colsRows();
        int patch = G.colsCols();
        float[] x = KernelTesting.randomArray(rng, (int) G.inputSize());
        float[] k = KernelTesting.randomArray(rng, patch * f);
        float[] g = KernelTesting.randomArray(rng, rows * f);
        float[][] expected = products(ScalarKernels.INSTANCE, x, k, g, f);
        int widths = 0;
        for (int bits : new int[] {128, 256, 512}) {
            Kernels simd = KernelTesting.simdOrNull(bits);
            if (simd == null) {
                continue;
            }
            widths++;
            float[][] actual = products(simd, x, k, g, f);
            for (int i = 0; i < expected.length; i++) {
                KernelTesting.assertSameBits(expected[i], actual[i], simd.name() + " product " + i);
            }
        }
        assumeTrue(widths > 0, "no SIMD width available");
    }

    /** y = im2col(x)·k, dk = colsᵀ·g, dx = col2im(g·kᵀ): what ConvOps.conv2d computes. */
    private static float[][] products(Kernels kernels, float[] x, float[] k, float[] g, int f) {
        int rows = G.colsRows();
        int patch = G.colsCols();
        float[] cols = new float[rows * patch];
        Im2col.im2col(x, cols, G);
        float[] y = new float[rows * f];
        kernels.matmul(cols, k, y, rows, patch, f, false);
        float[] dk = new float[patch * f];
        kernels.matmulTransA(cols, g, dk, patch, rows, f, false);
        float[] dcols = new float[rows * patch];
        kernels.matmulTransB(g, k, dcols, rows, f, patch, false);
        float[] dx = new float[(int) G.inputSize()];
        Im2col.col2im(dcols, dx, G);
        return new float[][] {y, dk, dx};
    }

    /**
     * The fast paths (a kernel row copied or added as one run, runs under 16 floats by a loop, the batch
     * split by image over threads) against the definition written out here cell by cell: im2col exactly,
     * col2im to the bit, because the definition adds into each cell in the same order (rows (b,i,j),
     * then kernel positions (p,q)). Geometries: conv1's c = 1 (runs of 3 floats), a padded "same"
     * 3x3 over 5 channels (runs cut at the edges), strides 2 with a 4-wide kernel, and dilation 2
     * across (no runs); each on 1, 2 and 3 threads, with enough images and work to be split (80 images).
     */
    @Test
    void im2colAndCol2im_matchTheDefinitionOnEveryThreadCount() {
        Im2col.Geometry[] geometries = {
            new Im2col.Geometry(80, 12, 12, 1, 3, 3, 1, 1, 1, 1, 0, 0, 10, 10),
            new Im2col.Geometry(80, 9, 9, 5, 3, 3, 1, 1, 1, 1, 1, 1, 9, 9),
            new Im2col.Geometry(80, 13, 15, 6, 4, 4, 2, 2, 1, 1, 1, 1, 6, 7),
            new Im2col.Geometry(80, 11, 13, 4, 3, 3, 1, 1, 1, 2, 1, 2, 11, 13),
        };
        int saved = Parallel.threads();
        try {
            for (Im2col.Geometry g : geometries) {
                assertThat(g.colsSize()).as("work enough to be split over threads").isGreaterThanOrEqualTo(ImageSplit.PARALLEL_FLOATS);
                Random rng = new Random(g.hashCode());
                float[] x = KernelTesting.randomArray(rng, (int) g.inputSize());
                float[] d = KernelTesting.randomArray(rng, (int) g.colsSize());
                float[] expectedCols = new float[d.length];
                float[] expectedDx = new float[x.length];
                definition(x, expectedCols, d, expectedDx, g);
                for (int threads = 1; threads <= 3; threads++) {
                    Parallel.setThreads(threads);
                    float[] cols = new float[d.length];
                    float[] dx = new float[x.length];
                    java.util.Arrays.fill(cols, Float.NaN);
                    java.util.Arrays.fill(dx, Float.NaN);
                    Im2col.im2col(x, cols, g);
                    Im2col.col2im(d, dx, g);
                    KernelTesting.assertSameBits(expectedCols, cols, "im2col " + g + " on " + threads + " threads");
                    KernelTesting.assertSameBits(expectedDx, dx, "col2im " + g + " on " + threads + " threads");
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /** im2col and col2im cell by cell: each (row, p, q, ch) on its own, in row-major order. */
    private static void definition(float[] x, float[] cols, float[] dcols, float[] dx, Im2col.Geometry g) {
        int r = 0;
        for (int b = 0; b < g.n(); b++) {
            for (int i = 0; i < g.oh(); i++) {
                for (int j = 0; j < g.ow(); j++, r++) {
                    for (int p = 0; p < g.kh(); p++) {
                        for (int q = 0; q < g.kw(); q++) {
                            for (int ch = 0; ch < g.c(); ch++) {
                                int hi = i * g.sh() - g.padTop() + p * g.dh();
                                int wi = j * g.sw() - g.padLeft() + q * g.dw();
                                int col = r * g.colsCols() + (p * g.kw() + q) * g.c() + ch;
                                if (hi >= 0 && hi < g.h() && wi >= 0 && wi < g.w()) {
                                    int cell = ((b * g.h() + hi) * g.w() + wi) * g.c() + ch;
                                    cols[col] = x[cell];
                                    dx[cell] += dcols[col];
                                } else {
                                    cols[col] = 0f;
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void badArguments_namedBeforeAnyWork() {
        assertThatThrownBy(() -> Im2col.im2col(new float[10], new float[(int) G.colsSize()], G))
                .hasMessageContaining("im2col").hasMessageContaining("x").hasMessageContaining(String.valueOf(G.inputSize()));
        float[] same = new float[(int) G.colsSize()];
        assertThatThrownBy(() -> Im2col.col2im(same, same, G)).hasMessageContaining("must not be");
        assertThatThrownBy(() -> new Im2col.Geometry(1, 4, 4, 1, 3, 3, 0, 1, 1, 1, 0, 0, 2, 2))
                .hasMessageContaining("strides");
    }
}
