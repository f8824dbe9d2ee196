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
 * The convolutions and max pooling of Keras' Simple MNIST convnet with batch 128, one operation as
 * {@code vecgrad.autodiff.ConvOps} runs it: conv1 (128,28,28,1) → (128,26,26,32) with a 3x3 kernel,
 * conv2 (128,13,13,32) → (128,11,11,64), pool1 (128,26,26,32) → (128,13,13,32), pool2
 * (128,11,11,64) → (128,5,5,64).
 *
 * <p>{@code op}: {@code forward} is im2col + cols·kernel; {@code inputGrad} is g·kernelᵀ + col2im;
 * {@code weightGrad} is colsᵀ·g (the cols the forward made); {@code im2col} and {@code col2im} alone
 * show the copies' share. A convolution product does {@code 2·N·OH·OW·KH·KW·C·F} flops (report.py
 * turns ops/s into GFLOP/s). {@code impl=before} runs the unfolding and pooling loops as they were
 * before the speedups of 2026-12-05 (kept here, in {@link Baseline}, to measure against in one run);
 * {@code after} runs the library's. The GEMMs are the library's in both.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class ConvBenchmark {

    @Param({
        "conv1.forward", "conv1.weightGrad", "conv1.im2col",
        "conv2.forward", "conv2.inputGrad", "conv2.weightGrad", "conv2.im2col", "conv2.col2im",
        "pool1.forward", "pool1.backward", "pool2.forward", "pool2.backward",
    })
    public String op;

    @Param({"simd", "scalar"})
    public String kernel;

    @Param({"1", "2"})
    public int threads;

    @Param({"after", "before"})
    public String impl;

    private Kernels kernels;
    private boolean before;
    private String what;
    private Im2col.Geometry g;
    private int f;
    private float[] x;
    private float[] cols;
    private float[] k;
    private float[] y;
    private float[] dy;
    private float[] dk;
    private float[] dcols;
    private float[] dx;
    private float[] argmax;

    @Setup
    public void setUp() {
        String[] parts = op.split("\\.");
        what = parts[1];
        // Geometry(n, h, w, c, kh, kw, sh, sw, dh, dw, padTop, padLeft, oh, ow), VALID padding.
        switch (parts[0]) {
            case "conv1" -> { g = new Im2col.Geometry(128, 28, 28, 1, 3, 3, 1, 1, 1, 1, 0, 0, 26, 26); f = 32; }
            case "conv2" -> { g = new Im2col.Geometry(128, 13, 13, 32, 3, 3, 1, 1, 1, 1, 0, 0, 11, 11); f = 64; }
            case "pool1" -> { g = new Im2col.Geometry(128, 26, 26, 32, 2, 2, 2, 2, 1, 1, 0, 0, 13, 13); f = 0; }
            case "pool2" -> { g = new Im2col.Geometry(128, 11, 11, 64, 2, 2, 2, 2, 1, 1, 0, 0, 5, 5); f = 0; }
            default -> throw new IllegalArgumentException("op must start with conv1, conv2, pool1 or pool2, got " + op);
        }
        kernels = switch (kernel) {
            case "simd" -> KernelProvider.simd(0);
            case "scalar" -> ScalarKernels.INSTANCE;
            default -> throw new IllegalArgumentException("kernel must be simd or scalar, got " + kernel);
        };
        before = switch (impl) {
            case "before" -> true;
            case "after" -> false;
            default -> throw new IllegalArgumentException("impl must be before or after, got " + impl);
        };
        Parallel.setThreads(threads);
        Random random = new Random(42);
        x = random(random, (int) g.inputSize());
        dx = new float[x.length];
        if (f > 0) {
            cols = new float[(int) g.colsSize()];
            dcols = new float[cols.length];
            k = random(random, g.colsCols() * f);
            dk = new float[k.length];
            y = new float[g.colsRows() * f];
            dy = random(random, y.length);
            Im2col.im2col(x, cols, g);
            for (int i = 0; i < dcols.length; i++) {
                dcols[i] = (float) random.nextGaussian();
            }
        } else {
            int outputs = g.n() * g.oh() * g.ow() * g.c();
            y = new float[outputs];
            argmax = new float[outputs];
            dy = random(random, outputs);
            Pooling.maxPool(x, y, argmax, g);
        }
    }

    private static float[] random(Random random, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    @Benchmark
    public float[] run() {
        int rows = g.colsRows();
        int patch = g.colsCols();
        switch (what) {
            case "forward" -> {
                if (f == 0) {
                    if (before) {
                        Baseline.maxPool(x, y, argmax, g);
                    } else {
                        kernels.maxPool(x, y, argmax, g); // simd: vectors of channels; scalar: Pooling.maxPool
                    }
                    return y;
                }
                if (before) {
                    Baseline.im2col(x, cols, g);
                } else {
                    Im2col.im2col(x, cols, g);
                }
                kernels.matmul(cols, k, y, rows, patch, f, false);
                return y;
            }
            case "inputGrad" -> {
                kernels.matmulTransB(dy, k, dcols, rows, f, patch, false);
                if (before) {
                    Baseline.col2im(dcols, dx, g);
                } else {
                    Im2col.col2im(dcols, dx, g);
                }
                return dx;
            }
            case "weightGrad" -> {
                kernels.matmulTransA(cols, dy, dk, patch, rows, f, false);
                return dk;
            }
            case "im2col" -> {
                if (before) {
                    Baseline.im2col(x, cols, g);
                } else {
                    Im2col.im2col(x, cols, g);
                }
                return cols;
            }
            case "col2im" -> {
                if (before) {
                    Baseline.col2im(dcols, dx, g);
                } else {
                    Im2col.col2im(dcols, dx, g);
                }
                return dx;
            }
            case "backward" -> {
                if (before) {
                    Baseline.maxPoolBackward(dy, argmax, dx);
                } else {
                    Pooling.maxPoolBackward(dy, argmax, dx, g);
                }
                return dx;
            }
            default -> throw new IllegalStateException(op);
        }
    }

    /** The unfolding and max-pooling loops as they were before the 2026-12-05 speedups (one thread). */
    static final class Baseline {

        private Baseline() {
        }

        static void im2col(float[] x, float[] cols, Im2col.Geometry g) {
            int c = g.c();
            int rowLength = g.kh() * g.kw() * c;
            int r = 0;
            for (int b = 0; b < g.n(); b++) {
                int xb = b * g.h() * g.w() * c;
                for (int i = 0; i < g.oh(); i++) {
                    for (int j = 0; j < g.ow(); j++, r++) {
                        int at = r * rowLength;
                        for (int p = 0; p < g.kh(); p++) {
                            int hi = i * g.sh() - g.padTop() + p * g.dh();
                            for (int q = 0; q < g.kw(); q++, at += c) {
                                int wi = j * g.sw() - g.padLeft() + q * g.dw();
                                if (hi < 0 || hi >= g.h() || wi < 0 || wi >= g.w()) {
                                    java.util.Arrays.fill(cols, at, at + c, 0f);
                                } else {
                                    System.arraycopy(x, xb + (hi * g.w() + wi) * c, cols, at, c);
                                }
                            }
                        }
                    }
                }
            }
        }

        static void col2im(float[] dcols, float[] dx, Im2col.Geometry g) {
            int c = g.c();
            int rowLength = g.kh() * g.kw() * c;
            java.util.Arrays.fill(dx, 0, (int) g.inputSize(), 0f);
            int r = 0;
            for (int b = 0; b < g.n(); b++) {
                int xb = b * g.h() * g.w() * c;
                for (int i = 0; i < g.oh(); i++) {
                    for (int j = 0; j < g.ow(); j++, r++) {
                        int at = r * rowLength;
                        for (int p = 0; p < g.kh(); p++) {
                            int hi = i * g.sh() - g.padTop() + p * g.dh();
                            for (int q = 0; q < g.kw(); q++, at += c) {
                                int wi = j * g.sw() - g.padLeft() + q * g.dw();
                                if (hi >= 0 && hi < g.h() && wi >= 0 && wi < g.w()) {
                                    int to = xb + (hi * g.w() + wi) * c;
                                    for (int ch = 0; ch < c; ch++) {
                                        dx[to + ch] += dcols[at + ch];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        /** ConvOps.maxPool2d's loop as it was: y and argmax updated in place, cell by cell. */
        static void maxPool(float[] xd, float[] yd, float[] am, Im2col.Geometry geo) {
            int c = geo.c();
            int out = 0;
            for (int b = 0; b < geo.n(); b++) {
                for (int i = 0; i < geo.oh(); i++) {
                    int top = i * geo.sh() - geo.padTop();
                    int hi0 = Math.max(top, 0);
                    int hi1 = Math.min(top + geo.kh(), geo.h());
                    for (int j = 0; j < geo.ow(); j++, out += c) {
                        int left = j * geo.sw() - geo.padLeft();
                        int wi0 = Math.max(left, 0);
                        int wi1 = Math.min(left + geo.kw(), geo.w());
                        int first = ((b * geo.h() + hi0) * geo.w() + wi0) * c;
                        for (int ch = 0; ch < c; ch++) {
                            yd[out + ch] = xd[first + ch];
                            am[out + ch] = Float.intBitsToFloat(first + ch);
                        }
                        for (int hi = hi0; hi < hi1; hi++) {
                            for (int wi = wi0; wi < wi1; wi++) {
                                int at = ((b * geo.h() + hi) * geo.w() + wi) * c;
                                for (int ch = 0; ch < c; ch++) {
                                    float v = xd[at + ch];
                                    if (v > yd[out + ch]) {
                                        yd[out + ch] = v;
                                        am[out + ch] = Float.intBitsToFloat(at + ch);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        static void maxPoolBackward(float[] gd, float[] am, float[] d) {
            java.util.Arrays.fill(d, 0f);
            for (int o = 0; o < gd.length; o++) {
                d[Float.floatToRawIntBits(am[o])] += gd[o];
            }
        }
    }
}
