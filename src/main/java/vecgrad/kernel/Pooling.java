package vecgrad.kernel;

/**
 * Max pooling on NHWC images, forward and backward, for {@code vecgrad.autodiff.ConvOps}: the window
 * of output pixel {@code (i,j)} covers rows {@code i·sh − padTop ..} and columns {@code j·sw − padLeft ..}
 * of the {@link Im2col.Geometry} (dilation 1), clipped to the image; padded cells are never candidates.
 *
 * <p>The maximum of a window is its first largest cell in row-major order (a later cell wins only
 * when strictly greater), as TensorFlow's CPU kernel; its index in {@code x} is kept as the raw int
 * bits of a float ({@link Float#intBitsToFloat}), so the backward can run from a pooled float
 * buffer. The forward has a scalar loop ({@link #maxPool}, the scalar kernels') and its SIMD twin on
 * vectors of channels ({@code SimdPooling}, the SIMD kernels'), the same bits; the backward, one
 * addition per output, serves both. Whole images are split over {@link Parallel}'s threads, every
 * element written by one thread in the single-thread order, so the results do not depend on the
 * thread count.
 */
public final class Pooling {

    /*
     * The scalar forward scans a window cell by cell with the channels innermost (contiguous in x, y
     * and argmax). Keeping each channel's running maximum in locals instead (channels outermost, the
     * window's cells at stride c) measured slower in ConvBenchmark (pool1.forward, 2026-12-05), as did
     * branch-free selects. The SIMD forward keeps a vector of channels' maxima and indices in
     * registers over the window (compare and blend, no branch per cell). The backward sends g[o] to
     * dx[argmax[o]]; the argmax of an output of image b lies in image b, so image ranges are independent.
     */

    private Pooling() {
    }

    /**
     * {@code x (n,h,w,c) -> y (n,oh,ow,c)}, each channel apart, and the index in {@code x} of each
     * output's maximum.
     *
     * @param x the images {@code (n,h,w,c)}
     * @param y the maxima {@code (n,oh,ow,c)}; every element is written
     * @param argmax for each output, {@code Float.intBitsToFloat(index in x)}; every element is written
     * @param g the window's geometry; {@code dh} and {@code dw} must be 1
     * @throws IllegalArgumentException if an array is shorter than its shape needs, outputs alias
     *     inputs, a window is dilated, or a window lies wholly in the padding
     */
    public static void maxPool(float[] x, float[] y, float[] argmax, Im2col.Geometry g) {
        checkMaxPool(x, y, argmax, g);
        ImageSplit.run(Pooling::maxPoolImages, x, y, argmax, g, g.inputSize());
    }

    /** {@link #maxPool} with the images' op given: {@code SimdPooling.maxPoolOp}'s, made once per kernels. */
    static void maxPoolSimd(float[] x, float[] y, float[] argmax, Im2col.Geometry g, ImageSplit.Op op) {
        checkMaxPool(x, y, argmax, g);
        ImageSplit.run(op, x, y, argmax, g, g.inputSize());
    }

    private static void checkMaxPool(float[] x, float[] y, float[] argmax, Im2col.Geometry g) {
        long outputs = (long) g.n() * g.oh() * g.ow() * g.c();
        KernelChecks.array("maxPool", "x", x, g.inputSize());
        KernelChecks.array("maxPool", "y", y, outputs);
        KernelChecks.array("maxPool", "argmax", argmax, outputs);
        KernelChecks.distinct("maxPool", "y", y, "x", x);
        KernelChecks.distinct("maxPool", "argmax", argmax, "x", x);
        KernelChecks.distinct("maxPool", "argmax", argmax, "y", y);
        checkWindows("maxPool", g);
    }

    /**
     * The adjoint: {@code dx} zero except {@code dx[argmax[o]] += dy[o]} for each output {@code o} in order.
     *
     * @param dy the gradient of the maxima {@code (n,oh,ow,c)}
     * @param argmax the indices {@link #maxPool} wrote
     * @param dx the gradient of the images {@code (n,h,w,c)}; every element is written
     * @param g the geometry given to {@link #maxPool}
     * @throws IllegalArgumentException if an array is shorter than its shape needs or {@code dx} aliases an input
     */
    public static void maxPoolBackward(float[] dy, float[] argmax, float[] dx, Im2col.Geometry g) {
        long outputs = (long) g.n() * g.oh() * g.ow() * g.c();
        KernelChecks.array("maxPoolBackward", "dy", dy, outputs);
        KernelChecks.array("maxPoolBackward", "argmax", argmax, outputs);
        KernelChecks.array("maxPoolBackward", "dx", dx, g.inputSize());
        KernelChecks.distinct("maxPoolBackward", "dx", dx, "dy", dy);
        KernelChecks.distinct("maxPoolBackward", "dx", dx, "argmax", argmax);
        ImageSplit.run(Pooling::maxPoolBackwardImages, dy, argmax, dx, g, g.inputSize());
    }

    private static void checkWindows(String kernel, Im2col.Geometry g) {
        if (g.dh() != 1 || g.dw() != 1) {
            throw new IllegalArgumentException(kernel + ": expected an undilated window, got " + g);
        }
        // The last window must reach into the image (TensorFlow's padding always does).
        if (g.oh() > 0 && g.ow() > 0 && ((g.oh() - 1) * g.sh() - g.padTop() >= g.h() || (g.ow() - 1) * g.sw() - g.padLeft() >= g.w()
                || g.padTop() >= g.kh() || g.padLeft() >= g.kw())) {
            throw new IllegalArgumentException(kernel + ": expected every window to cover a cell of the image, got " + g);
        }
    }

    private static void maxPoolImages(float[] x, float[] y, float[] argmax, Im2col.Geometry g, int b0, int b1) {
        int c = g.c();
        int h = g.h();
        int w = g.w();
        int out = b0 * g.oh() * g.ow() * c;
        for (int b = b0; b < b1; b++) {
            for (int i = 0; i < g.oh(); i++) {
                int top = i * g.sh() - g.padTop();
                int hi0 = Math.max(top, 0);
                int hi1 = Math.min(top + g.kh(), h);
                for (int j = 0; j < g.ow(); j++, out += c) {
                    int left = j * g.sw() - g.padLeft();
                    int wi0 = Math.max(left, 0);
                    int wi1 = Math.min(left + g.kw(), w);
                    maxPoolWindow(x, y, argmax, g, b, hi0, hi1, wi0, wi1, out, 0, c);
                }
            }
        }
    }

    /**
     * One window of image {@code b} (rows {@code [hi0, hi1)}, columns {@code [wi0, wi1)}), channels
     * {@code [ch0, ch1)}, into the outputs from {@code out}: the scalar forward, and the SIMD forward's
     * channels past its last whole vector.
     */
    static void maxPoolWindow(float[] x, float[] y, float[] argmax, Im2col.Geometry g, int b, int hi0, int hi1,
                              int wi0, int wi1, int out, int ch0, int ch1) {
        int c = g.c();
        int h = g.h();
        int w = g.w();
        int first = ((b * h + hi0) * w + wi0) * c;
        for (int ch = ch0; ch < ch1; ch++) {
            y[out + ch] = x[first + ch];
            argmax[out + ch] = Float.intBitsToFloat(first + ch);
        }
        // Cells in row-major order, channels innermost (contiguous); a cell replaces the
        // maximum only when strictly greater, so a tie keeps the first.
        for (int hi = hi0; hi < hi1; hi++) {
            for (int wi = wi0; wi < wi1; wi++) {
                int at = ((b * h + hi) * w + wi) * c;
                for (int ch = ch0; ch < ch1; ch++) {
                    float v = x[at + ch];
                    if (v > y[out + ch]) {
                        y[out + ch] = v;
                        argmax[out + ch] = Float.intBitsToFloat(at + ch);
                    }
                }
            }
        }
    }

    private static void maxPoolBackwardImages(float[] dy, float[] argmax, float[] dx, Im2col.Geometry g, int b0, int b1) {
        int image = g.h() * g.w() * g.c();
        int pooled = g.oh() * g.ow() * g.c();
        java.util.Arrays.fill(dx, b0 * image, b1 * image, 0f);
        for (int o = b0 * pooled, end = b1 * pooled; o < end; o++) {
            dx[Float.floatToRawIntBits(argmax[o])] += dy[o];
        }
    }
}
