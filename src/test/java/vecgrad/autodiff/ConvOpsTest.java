package vecgrad.autodiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import vecgrad.kernel.Parallel;
import vecgrad.tensor.Tensor;

/**
 * The image ops against direct nested-loop references written here in double (TensorFlow's output
 * sizes and pad placement restated independently of {@link ConvOps}), and their gradients against
 * finite differences of those references, on awkward shapes: batch 3, 11×13×3 images, 3×3 and 5×5
 * kernels, strides 1, 2 and (2, 1), "valid" and "same", dilation 2.
 */
final class ConvOpsTest {

    private final GradientChecker checker = new GradientChecker(2024L);

    // ---------------------------------------------------------------- references

    /** TF's output length: valid floor((in − e)/s) + 1, same ceil(in/s); e the dilated window. */
    static int outLen(int in, int k, int s, String padding, int d) {
        int e = (k - 1) * d + 1;
        return padding.equals("same") ? (in + s - 1) / s : (in - e) / s + 1;
    }

    /** TF's pad before the image: floor(total / 2); the odd cell goes to the bottom/right. */
    static int padBefore(int in, int k, int s, String padding, int d) {
        if (padding.equals("valid")) {
            return 0;
        }
        int e = (k - 1) * d + 1;
        int total = Math.max((outLen(in, k, s, padding, d) - 1) * s + e - in, 0);
        return total / 2;
    }

    /** Direct convolution, x (n,h,w,c), kernel (kh,kw,c,f) -> (n,oh,ow,f), in double. */
    static double[] convRef(double[] x, double[] k, int[] xs, int[] ks, int[] st, String padding, int[] dil) {
        int n = xs[0], h = xs[1], w = xs[2], c = xs[3];
        int kh = ks[0], kw = ks[1], f = ks[3];
        int oh = outLen(h, kh, st[0], padding, dil[0]);
        int ow = outLen(w, kw, st[1], padding, dil[1]);
        int top = padBefore(h, kh, st[0], padding, dil[0]);
        int left = padBefore(w, kw, st[1], padding, dil[1]);
        double[] y = new double[n * oh * ow * f];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    for (int o = 0; o < f; o++) {
                        double s = 0;
                        for (int p = 0; p < kh; p++) {
                            for (int q = 0; q < kw; q++) {
                                int hi = i * st[0] - top + p * dil[0];
                                int wi = j * st[1] - left + q * dil[1];
                                if (hi < 0 || hi >= h || wi < 0 || wi >= w) {
                                    continue;
                                }
                                for (int ch = 0; ch < c; ch++) {
                                    s += x[((b * h + hi) * w + wi) * c + ch] * k[((p * kw + q) * c + ch) * f + o];
                                }
                            }
                        }
                        y[((b * oh + i) * ow + j) * f + o] = s;
                    }
                }
            }
        }
        return y;
    }

    /** Direct max (or average over the cells inside the image) pooling, in double. */
    static double[] poolRef(double[] x, int[] xs, int[] pool, int[] st, String padding, boolean max) {
        int n = xs[0], h = xs[1], w = xs[2], c = xs[3];
        int oh = outLen(h, pool[0], st[0], padding, 1);
        int ow = outLen(w, pool[1], st[1], padding, 1);
        int top = padBefore(h, pool[0], st[0], padding, 1);
        int left = padBefore(w, pool[1], st[1], padding, 1);
        double[] y = new double[n * oh * ow * c];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    for (int ch = 0; ch < c; ch++) {
                        double acc = max ? Double.NEGATIVE_INFINITY : 0;
                        int count = 0;
                        for (int p = 0; p < pool[0]; p++) {
                            for (int q = 0; q < pool[1]; q++) {
                                int hi = i * st[0] - top + p;
                                int wi = j * st[1] - left + q;
                                if (hi < 0 || hi >= h || wi < 0 || wi >= w) {
                                    continue;
                                }
                                double v = x[((b * h + hi) * w + wi) * c + ch];
                                acc = max ? Math.max(acc, v) : acc + v;
                                count++;
                            }
                        }
                        y[((b * oh + i) * ow + j) * c + ch] = max ? acc : acc / count;
                    }
                }
            }
        }
        return y;
    }

    // ---------------------------------------------------------------- convolution

    /** Every padding and stride, 3×3 and 5×5, dilation 2: forward against the loops, gradients against differences. */
    @Test
    void conv2d_matchesDirectLoopsAndFiniteDifferences() {
        int[] xs = {3, 11, 13, 3};
        int[][] kernels = {{3, 3, 3, 4}, {5, 5, 3, 2}, {1, 1, 3, 2}, {2, 4, 3, 3}};
        int[][] strides = {{1, 1}, {2, 2}, {2, 1}, {3, 2}};
        for (int[] ks : kernels) {
            for (int[] st : strides) {
                for (String padding : new String[] {"valid", "same"}) {
                    check(xs, ks, st, padding, new int[] {1, 1});
                }
            }
        }
    }

    @Test
    void conv2d_dilated() {
        int[] xs = {3, 11, 13, 3};
        for (String padding : new String[] {"valid", "same"}) {
            check(xs, new int[] {3, 3, 3, 4}, new int[] {1, 1}, padding, new int[] {2, 2});
            check(xs, new int[] {5, 3, 3, 2}, new int[] {1, 1}, padding, new int[] {2, 3});
            // The op (as tf.nn.conv2d in PyTorch's generality) allows strides and dilation together;
            // only the Conv2D layer refuses them, as Keras does.
            check(xs, new int[] {3, 3, 3, 2}, new int[] {2, 2}, padding, new int[] {2, 2});
        }
    }

    @Test
    void conv2d_oneImageOneChannelAndKernelAsLargeAsTheImage() {
        check(new int[] {1, 5, 4, 1}, new int[] {5, 4, 1, 3}, new int[] {1, 1}, "valid", new int[] {1, 1});
        check(new int[] {2, 5, 4, 1}, new int[] {5, 4, 1, 3}, new int[] {1, 1}, "same", new int[] {1, 1});
        check(new int[] {2, 1, 1, 2}, new int[] {3, 3, 2, 2}, new int[] {2, 2}, "same", new int[] {1, 1});
    }

    private void check(int[] xs, int[] ks, int[] st, String padding, int[] dil) {
        Tensor x = checker.uniform(-1f, 1f, xs);
        Tensor k = checker.uniform(-1f, 1f, ks);
        String what = "conv2d x" + Tensor.shapeString(xs) + " k" + Tensor.shapeString(ks) + " s" + st[0] + "x" + st[1]
                + " " + padding + " d" + dil[0] + "x" + dil[1];
        checker.check(what, in -> ConvOps.conv2d(in[0], in[1], st, Padding.of(padding), dil),
                in -> convRef(in[0], in[1], xs, ks, st, padding, dil), x, k);
    }

    /**
     * The odd pad of "same" goes to the bottom and right, as TensorFlow: a 2×2 kernel that picks
     * its top-left cell, stride 1, copies the image unshifted (no pad is before it); one that picks
     * its bottom-right cell reads a shifted image with zeros in the last row and column.
     */
    @Test
    void conv2d_sameOddPadGoesBottomRight() {
        float[] img = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        Tensor x = Tensor.of(img, 1, 3, 3, 1);
        Tensor topLeft = Tensor.of(new float[] {1, 0, 0, 0}, 2, 2, 1, 1);
        Tensor bottomRight = Tensor.of(new float[] {0, 0, 0, 1}, 2, 2, 1, 1);
        int[] one = {1, 1};
        assertThat(ConvOps.conv2d(x, topLeft, one, Padding.SAME, one).data()).containsExactly(img);
        assertThat(ConvOps.conv2d(x, bottomRight, one, Padding.SAME, one).data())
                .containsExactly(5, 6, 0, 8, 9, 0, 0, 0, 0);
    }

    /** A fixed small case worked by hand: 3×3 image, 2×2 kernel, stride 1, valid. */
    @Test
    void conv2d_handWorkedValues() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 3, 3, 1);
        Tensor k = Tensor.of(new float[] {1, 10, 100, 1000}, 2, 2, 1, 1);
        Tensor y = ConvOps.conv2d(x, k, new int[] {1, 1}, Padding.VALID, new int[] {1, 1});
        assertThat(y.shape()).containsExactly(1, 2, 2, 1);
        // 1 + 20 + 400 + 5000, 2 + 30 + 500 + 6000, 4 + 50 + 700 + 8000, 5 + 60 + 800 + 9000
        assertThat(y.data()).containsExactly(5421, 6532, 8754, 9865);
    }

    /** Bias added over the last axis of an NHWC map: forward and both gradients. */
    @Test
    void add_biasOverChannelsOfRank4() {
        int[] xs = {3, 4, 5, 3};
        Tensor x = checker.uniform(-1f, 1f, xs);
        Tensor b = checker.uniform(-1f, 1f, 3);
        checker.check("bias add (3,4,5,3) + (3)", in -> Ops.add(in[0], in[1]), in -> {
            double[] y = in[0].clone();
            for (int i = 0; i < y.length; i++) {
                y[i] += in[1][i % 3];
            }
            return y;
        }, x, b);
    }

    /** Conv, bias and ReLU chained, as the layer runs them. */
    @Test
    void conv2dBiasRelu_chain() {
        int[] xs = {3, 11, 13, 3};
        int[] ks = {3, 3, 3, 4};
        int[] st = {2, 2};
        int[] one = {1, 1};
        Tensor x = checker.uniform(-1f, 1f, xs);
        Tensor k = checker.uniform(-1f, 1f, ks);
        Tensor b = checker.uniform(-1f, 1f, 4);
        checker.check("relu(conv2d + b)", in -> ActivationOps.relu(Ops.add(ConvOps.conv2d(in[0], in[1], st, Padding.SAME,
                one), in[2])), in -> {
                    double[] y = convRef(in[0], in[1], xs, ks, st, "same", one);
                    for (int i = 0; i < y.length; i++) {
                        y[i] = Math.max(0, y[i] + in[2][i % 4]);
                    }
                    return y;
                }, x, k, b);
    }

    // ---------------------------------------------------------------- pooling

    @Test
    void maxPool2d_everyPaddingAndStride() {
        int[] xs = {3, 11, 13, 3};
        for (int[] pool : new int[][] {{2, 2}, {3, 3}, {3, 2}}) {
            for (int[] st : new int[][] {pool, {1, 1}, {2, 2}, {2, 3}}) {
                for (String padding : new String[] {"valid", "same"}) {
                    // distinct values, so every window has one maximum (the function is smooth there)
                    Tensor x = distinct(xs);
                    checker.check("maxPool2d " + pool[0] + "x" + pool[1] + " s" + st[0] + "x" + st[1] + " " + padding,
                            in -> ConvOps.maxPool2d(in[0], pool, st, Padding.of(padding)),
                            in -> poolRef(in[0], xs, pool, st, padding, true), x);
                }
            }
        }
    }

    @Test
    void avgPool2d_everyPaddingAndStride() {
        int[] xs = {3, 11, 13, 3};
        for (int[] pool : new int[][] {{2, 2}, {3, 3}, {3, 2}}) {
            for (int[] st : new int[][] {pool, {1, 1}, {2, 2}, {2, 3}}) {
                for (String padding : new String[] {"valid", "same"}) {
                    Tensor x = checker.uniform(-1f, 1f, xs);
                    checker.check("avgPool2d " + pool[0] + "x" + pool[1] + " s" + st[0] + "x" + st[1] + " " + padding,
                            in -> ConvOps.avgPool2d(in[0], pool, st, Padding.of(padding)),
                            in -> poolRef(in[0], xs, pool, st, padding, false), x);
                }
            }
        }
    }

    /** "same" average pooling divides by the cells inside the image: a 3×3 image of ones stays ones. */
    @Test
    void avgPool2d_sameCountsOnlyCellsInsideTheImage() {
        Tensor x = Tensor.ones(1, 3, 3, 1);
        Tensor y = ConvOps.avgPool2d(x, new int[] {2, 2}, new int[] {2, 2}, Padding.SAME);
        assertThat(y.shape()).containsExactly(1, 2, 2, 1);
        assertThat(y.data()).containsExactly(1, 1, 1, 1);
    }

    /** A tie sends the whole gradient to the first maximum in row-major order (TensorFlow's choice). */
    @Test
    void maxPool2d_tieGoesToTheFirstMaximum() {
        Tensor x = Tensor.of(new float[] {1, 5, 5, 5}, 1, 2, 2, 1);
        List<Tensor> g;
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            Tensor y = ConvOps.maxPool2d(x, new int[] {2, 2}, new int[] {2, 2}, Padding.VALID);
            assertThat(y.data()).containsExactly(5);
            g = tape.gradient(Ops.sum(y), List.of(x));
        }
        assertThat(g.get(0).data()).containsExactly(0, 1, 0, 0);
    }

    @Test
    void globalAveragePool2d_matchesMeansAndFiniteDifferences() {
        int[] xs = {3, 11, 13, 3};
        Tensor x = checker.uniform(-1f, 1f, xs);
        checker.check("globalAveragePool2d", in -> ConvOps.globalAveragePool2d(in[0]), in -> {
            double[] y = new double[3 * 3];
            for (int b = 0; b < 3; b++) {
                for (int p = 0; p < 11 * 13; p++) {
                    for (int ch = 0; ch < 3; ch++) {
                        y[b * 3 + ch] += in[0][(b * 143 + p) * 3 + ch] / 143.0;
                    }
                }
            }
            return y;
        }, x);
    }

    @Test
    void flattenIsReshape_gradientFlowsBack() {
        int[] xs = {3, 4, 5, 2};
        Tensor x = checker.uniform(-1f, 1f, xs);
        checker.check("reshape (3,4,5,2) -> (3,40) then square", in -> Ops.square(Ops.reshape(in[0], 3, -1)), in -> {
            double[] y = in[0].clone();
            for (int i = 0; i < y.length; i++) {
                y[i] *= y[i];
            }
            return y;
        }, x);
    }

    // ---------------------------------------------------------------- threads and buffers

    /** Forward and both gradients are the same bits with 1 and 2 kernel threads (the GEMMs split then). */
    @Test
    void conv2d_sameBitsAtOneAndTwoThreads() {
        Tensor x = checker.uniform(-1f, 1f, 16, 14, 14, 8);
        Tensor k = checker.uniform(-1f, 1f, 3, 3, 8, 32);
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            float[][] one = convAndGrads(x, k);
            Parallel.setThreads(2);
            float[][] two = convAndGrads(x, k);
            for (int i = 0; i < one.length; i++) {
                assertThat(two[i]).as("result %d", i).containsExactly(one[i]);
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    /** In a buffer pool, a repeated step makes no new tensor, and gives the same bits. */
    @Test
    void conv2d_inABufferPool_reusesItsTensors() {
        Tensor x = checker.uniform(-1f, 1f, 3, 11, 13, 3);
        Tensor k = checker.uniform(-1f, 1f, 3, 3, 3, 4);
        BufferPool pool = new BufferPool();
        float[][] first = null;
        int created = 0;
        for (int step = 0; step < 3; step++) {
            try (BufferPool.Scope s = pool.enter()) {
                float[][] r = convAndGrads(x, k);
                if (first == null) {
                    first = r;
                    created = pool.tensorsCreated();
                } else {
                    for (int i = 0; i < r.length; i++) {
                        assertThat(r[i]).containsExactly(first[i]);
                    }
                }
            }
        }
        assertThat(pool.tensorsCreated()).isEqualTo(created);
    }

    /**
     * A pooled step (conv2d, max pooling and both gradients) allocates only bookkeeping (tape nodes,
     * closures, shape arrays): under an eighth of the bytes of the same step without a pool, whose
     * patches, outputs and gradients are ~0.7 MB here, and under {@link #LEAN}.
     */
    @Test
    void conv2d_pooledStepAllocatesOnlyBookkeeping() {
        java.util.function.LongSupplier allocated = AllocationCounter.currentThread();
        org.junit.jupiter.api.Assumptions.assumeTrue(allocated != null, "no per-thread allocation counter on this JVM");
        Tensor x = checker.uniform(-1f, 1f, 8, 14, 14, 4);
        Tensor k = checker.uniform(-1f, 1f, 3, 3, 4, 16);
        BufferPool pool = new BufferPool();
        long plain = 0;
        long pooled = Long.MAX_VALUE;
        // Vector API kernels allocate until C2 has compiled them: compare rounds for up to 20 s.
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (pooled >= Math.min(plain / 8, LEAN) && System.nanoTime() < deadline) {
            long t0 = allocated.getAsLong();
            for (int s = 0; s < 10; s++) {
                step(x, k);
            }
            long t1 = allocated.getAsLong();
            for (int s = 0; s < 10; s++) {
                try (BufferPool.Scope scope = pool.enter()) {
                    step(x, k);
                }
            }
            long t2 = allocated.getAsLong();
            plain = (t1 - t0) / 10;
            pooled = (t2 - t1) / 10;
        }
        // Without a pool the forward pass (patches 225 KB, conv output 100 KB) and the returned gradients
        // are new each step; the tape's own backward temporaries are recycled either way.
        assertThat(plain).isGreaterThan(300_000);
        assertThat(pooled).as("bytes per pooled step (plain: %d)", plain).isLessThan(plain / 8).isLessThan(LEAN);
    }

    /**
     * Bytes a lean pooled step stays under: about 50 KB of bookkeeping is measured; the step's patches
     * (225 KB) or its conv output (100 KB), made anew, would exceed it.
     */
    private static final long LEAN = 100_000;

    private static void step(Tensor x, Tensor k) {
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            tape.watch(k);
            Tensor y = ConvOps.conv2d(x, k, new int[] {1, 1}, Padding.SAME, new int[] {1, 1});
            Tensor p = ConvOps.maxPool2d(y, new int[] {2, 2}, new int[] {2, 2}, Padding.VALID);
            tape.gradient(Ops.sum(p), List.of(x, k));
        }
    }

    private static float[][] convAndGrads(Tensor x, Tensor k) {
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            tape.watch(k);
            Tensor y = ConvOps.conv2d(x, k, new int[] {2, 1}, Padding.SAME, new int[] {1, 1});
            Tensor p = ConvOps.maxPool2d(y, new int[] {2, 2}, new int[] {2, 2}, Padding.SAME);
            Tensor loss = Ops.sum(Ops.square(p));
            List<Tensor> g = tape.gradient(loss, List.of(x, k));
            return new float[][] {y.data().clone(), g.get(0).data().clone(), g.get(1).data().clone()};
        }
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void conv2d_badInput_namesBothShapes() {
        int[] one = {1, 1};
        Tensor x = Tensor.zeros(2, 5, 5, 3);
        assertThatThrownBy(() -> ConvOps.conv2d(Tensor.zeros(2, 75), Tensor.zeros(3, 3, 3, 4), one, Padding.VALID, one))
                .hasMessageContaining("rank 4").hasMessageContaining("(2, 75)");
        assertThatThrownBy(() -> ConvOps.conv2d(x, Tensor.zeros(3, 3, 2, 4), one, Padding.VALID, one))
                .hasMessageContaining("(2, 5, 5, 3)").hasMessageContaining("(3, 3, 2, 4)");
        assertThatThrownBy(() -> ConvOps.conv2d(x, Tensor.zeros(6, 3, 3, 4), one, Padding.VALID, one))
                .hasMessageContaining("(2, 5, 5, 3)").hasMessageContaining("6x3");
        assertThatThrownBy(() -> ConvOps.conv2d(x, Tensor.zeros(3, 3, 3, 4), new int[] {0, 1}, Padding.VALID, one))
                .hasMessageContaining("strides").hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> ConvOps.conv2d(x, Tensor.zeros(3, 3, 3, 4), one, Padding.VALID, new int[] {3, 3}))
                .hasMessageContaining("dilated");
        assertThatThrownBy(() -> ConvOps.maxPool2d(x, new int[] {6, 2}, new int[] {1, 1}, Padding.VALID))
                .hasMessageContaining("(2, 5, 5, 3)");
        assertThatThrownBy(() -> ConvOps.avgPool2d(x, new int[] {2, 2}, new int[] {-1, 1}, Padding.SAME))
                .hasMessageContaining("strides");
        assertThatThrownBy(() -> Padding.of("full")).hasMessageContaining("\"full\"");
    }

    // ---------------------------------------------------------------- helpers

    /** Values in [-1, 1) that differ pairwise by at least 1e-3 (a shuffled ramp): no ties within a step. */
    private Tensor distinct(int... shape) {
        Tensor t = checker.uniform(0f, 1f, shape);
        float[] d = t.data();
        Integer[] order = new Integer[d.length];
        for (int i = 0; i < d.length; i++) {
            order[i] = i;
        }
        float[] keys = d.clone();
        java.util.Arrays.sort(order, (a, b) -> Float.compare(keys[a], keys[b]));
        for (int r = 0; r < d.length; r++) {
            d[order[r]] = -1f + 2f * r / d.length;
        }
        return t;
    }
}
