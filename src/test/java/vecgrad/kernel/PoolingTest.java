package vecgrad.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Max pooling's kernel against its definition written out here (the first strictly largest cell of
 * each window, scanned row by row, padding never a candidate; the backward a scatter of each output's
 * gradient in output order), on 1, 2 and 3 threads: the same bits each time.
 */
final class PoolingTest {

    /** pool1's 2x2 stride 2, a "same" 3x3 stride 2 (windows clipped at the edges), a 3x2 stride 1. */
    private static final Im2col.Geometry[] GEOMETRIES = {
        new Im2col.Geometry(240, 12, 12, 8, 2, 2, 2, 2, 1, 1, 0, 0, 6, 6),
        new Im2col.Geometry(240, 11, 9, 5, 3, 3, 2, 2, 1, 1, 1, 1, 6, 5),
        new Im2col.Geometry(240, 10, 10, 3, 3, 2, 1, 1, 1, 1, 0, 0, 8, 9),
        // Channel counts around the vector widths: whole vectors, whole vectors and a tail, a tail only.
        new Im2col.Geometry(40, 12, 12, 32, 2, 2, 2, 2, 1, 1, 0, 0, 6, 6),
        new Im2col.Geometry(60, 9, 9, 17, 3, 3, 2, 2, 1, 1, 1, 1, 5, 5),
        new Im2col.Geometry(40, 8, 8, 33, 2, 2, 2, 2, 1, 1, 0, 0, 4, 4),
        new Im2col.Geometry(600, 12, 12, 1, 2, 2, 2, 2, 1, 1, 0, 0, 6, 6),
    };

    @Test
    void maxPoolAndBackward_matchTheDefinitionOnEveryThreadCount() {
        int saved = Parallel.threads();
        try {
            for (Im2col.Geometry g : GEOMETRIES) {
                assertThat(g.inputSize()).as("work enough to be split over threads").isGreaterThanOrEqualTo(ImageSplit.PARALLEL_FLOATS);
                Random rng = new Random(g.hashCode());
                float[] x = new float[(int) g.inputSize()];
                for (int i = 0; i < x.length; i++) {
                    // Few distinct values: many ties, which the first cell must win.
                    x[i] = rng.nextInt(4);
                }
                for (int i = 5; i < x.length; i += 97) {
                    x[i] = Float.NaN; // NaN never wins after the first cell, and stays when it is the first
                }
                for (int i = 11; i < x.length; i += 89) {
                    x[i] = -0f;       // -0 ties 0: the earlier cell stays
                }
                int outputs = g.n() * g.oh() * g.ow() * g.c();
                float[] dy = KernelTesting.randomArray(rng, outputs);
                float[] expectedY = new float[outputs];
                int[] expectedArg = new int[outputs];
                float[] expectedDx = new float[x.length];
                definition(x, expectedY, expectedArg, dy, expectedDx, g);
                for (Kernels kernels : kernels()) {
                  for (int threads = 1; threads <= 3; threads++) {
                    Parallel.setThreads(threads);
                    float[] y = new float[outputs];
                    float[] argmax = new float[outputs];
                    float[] dx = new float[x.length];
                    java.util.Arrays.fill(dx, Float.NaN);
                    kernels.maxPool(x, y, argmax, g);
                    Pooling.maxPoolBackward(dy, argmax, dx, g);
                    String what = g + " by " + kernels.name() + " on " + threads + " threads";
                    KernelTesting.assertSameBits(expectedY, y, "maxPool " + what);
                    for (int o = 0; o < outputs; o++) {
                        assertThat(Float.floatToRawIntBits(argmax[o])).as("argmax %d, %s", o, what).isEqualTo(expectedArg[o]);
                    }
                    KernelTesting.assertSameBits(expectedDx, dx, "maxPoolBackward " + what);
                  }
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /** Each output's window cell by cell: the first cell inside the image, then any strictly greater. */
    /** The scalar kernels and the SIMD kernels at every width this CPU runs. */
    private static java.util.List<Kernels> kernels() {
        java.util.List<Kernels> all = new java.util.ArrayList<>();
        all.add(ScalarKernels.INSTANCE);
        for (int bits = 128; bits <= jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize(); bits *= 2) {
            all.add(new SimdKernels(bits));
        }
        return all;
    }

    private static void definition(float[] x, float[] y, int[] arg, float[] dy, float[] dx, Im2col.Geometry g) {
        int o = 0;
        for (int b = 0; b < g.n(); b++) {
            for (int i = 0; i < g.oh(); i++) {
                for (int j = 0; j < g.ow(); j++) {
                    for (int ch = 0; ch < g.c(); ch++, o++) {
                        int best = -1;
                        for (int p = 0; p < g.kh(); p++) {
                            for (int q = 0; q < g.kw(); q++) {
                                int hi = i * g.sh() - g.padTop() + p;
                                int wi = j * g.sw() - g.padLeft() + q;
                                if (hi < 0 || hi >= g.h() || wi < 0 || wi >= g.w()) {
                                    continue;
                                }
                                int cell = ((b * g.h() + hi) * g.w() + wi) * g.c() + ch;
                                if (best < 0 || x[cell] > x[best]) {
                                    best = cell;
                                }
                            }
                        }
                        y[o] = x[best];
                        arg[o] = best;
                        dx[best] += dy[o];
                    }
                }
            }
        }
    }

    @Test
    void badArguments_namedBeforeAnyWork() {
        Im2col.Geometry g = GEOMETRIES[0];
        int outputs = g.n() * g.oh() * g.ow() * g.c();
        assertThatThrownBy(() -> Pooling.maxPool(new float[3], new float[outputs], new float[outputs], g))
                .hasMessageContaining("maxPool").hasMessageContaining("x").hasMessageContaining(String.valueOf(g.inputSize()));
        float[] x = new float[(int) g.inputSize()];
        assertThatThrownBy(() -> Pooling.maxPool(x, x, new float[outputs], g)).hasMessageContaining("must not be");
        Im2col.Geometry dilated = new Im2col.Geometry(1, 6, 6, 1, 2, 2, 2, 2, 2, 1, 0, 0, 3, 3);
        assertThatThrownBy(() -> Pooling.maxPool(new float[36], new float[9], new float[9], dilated))
                .hasMessageContaining("maxPool: expected an undilated window");
        Im2col.Geometry outside = new Im2col.Geometry(1, 4, 4, 1, 2, 2, 2, 2, 1, 1, 2, 0, 2, 2);
        assertThatThrownBy(() -> Pooling.maxPool(new float[16], new float[4], new float[4], outside))
                .hasMessageContaining("every window to cover a cell");
        assertThatThrownBy(() -> Pooling.maxPoolBackward(new float[outputs], new float[outputs], new float[1], g))
                .hasMessageContaining("maxPoolBackward").hasMessageContaining("dx");
    }
}
