package vecgrad.kernel;

import java.util.Arrays;

/**
 * The plain-Java kernels: the reference implementation and the specification of every SIMD kernel.
 *
 * <p>Written for clarity, not speed (though the loops are ordered to stream through memory).
 * Matrix products use {@link Math#fma} along the summed index in increasing order; the SIMD kernels
 * keep exactly that chain per output element, so the two agree bit for bit.
 */
public final class ScalarKernels implements Kernels {

    /** The shared instance; the class holds no state. */
    public static final ScalarKernels INSTANCE = new ScalarKernels();

    private ScalarKernels() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void matmul(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
        KernelChecks.matmul("matmul", a, (long) m * k, b, (long) k * n, c, m, k, n);
        // a (m,k) · b (k,n) -> c (m,n); i-p-j order: c[i][j] = fma(a[i][p], b[p][j], c[i][j]) for p = 0..k-1
        for (int i = 0; i < m; i++) {
            int ci = i * n;
            if (!accumulate) {
                Arrays.fill(c, ci, ci + n, 0f);
            }
            for (int p = 0; p < k; p++) {
                float aip = a[i * k + p];
                int bp = p * n;
                for (int j = 0; j < n; j++) {
                    c[ci + j] = Math.fma(aip, b[bp + j], c[ci + j]);
                }
            }
        }
    }

    @Override
    public void matmulTransA(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
        KernelChecks.matmul("matmulTransA", a, (long) k * m, b, (long) k * n, c, m, k, n);
        // aᵀ · b with a (k,m), b (k,n) -> c (m,n); c[i][j] = Σ_p a[p][i] · b[p][j], p in order
        if (!accumulate) {
            Arrays.fill(c, 0, m * n, 0f);
        }
        for (int p = 0; p < k; p++) {
            int ap = p * m;
            int bp = p * n;
            for (int i = 0; i < m; i++) {
                float api = a[ap + i];
                int ci = i * n;
                for (int j = 0; j < n; j++) {
                    c[ci + j] = Math.fma(api, b[bp + j], c[ci + j]);
                }
            }
        }
    }

    @Override
    public void matmulTransB(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
        KernelChecks.matmul("matmulTransB", a, (long) m * k, b, (long) n * k, c, m, k, n);
        // a · bᵀ with a (m,k), b (n,k) -> c (m,n); c[i][j] = Σ_p a[i][p] · b[j][p], p in order
        for (int i = 0; i < m; i++) {
            int ai = i * k;
            for (int j = 0; j < n; j++) {
                int bj = j * k;
                float acc = accumulate ? c[i * n + j] : 0f;
                for (int p = 0; p < k; p++) {
                    acc = Math.fma(a[ai + p], b[bj + p], acc);
                }
                c[i * n + j] = acc;
            }
        }
    }

    @Override
    public void addRowVector(float[] x, float[] bias, float[] out, int rows, int cols) {
        KernelChecks.addRowVector(x, bias, out, rows, cols);
        for (int i = 0; i < rows; i++) {
            addRow(x, bias, out, i * cols, 0, cols);
        }
    }

    /** {@code out[r + j] = x[r + j] + bias[j]} for {@code j} in {@code [from, to)}: one row of {@link #addRowVector}. */
    static void addRow(float[] x, float[] bias, float[] out, int r, int from, int to) {
        for (int j = from; j < to; j++) {
            out[r + j] = x[r + j] + bias[j];
        }
    }

    @Override
    public void relu(float[] x, float[] out, int n) {
        KernelChecks.array("relu", "x", x, n);
        KernelChecks.array("relu", "out", out, n);
        relu(x, out, 0, n);
    }

    /*
     * The range forms below are the loops of the public kernels; the SIMD kernels call them for the
     * elements after the last whole vector, so both share one definition of each element.
     */

    static void relu(float[] x, float[] out, int from, int to) {
        for (int i = from; i < to; i++) {
            // Math.max: NaN passes through, as tf.nn.relu (a ReLU that mapped NaN to 0 would hide a diverged
            // layer), and -0 becomes +0.
            out[i] = Math.max(x[i], 0f);
        }
    }

    @Override
    public void reluBackward(float[] x, float[] grad, float[] out, int n) {
        KernelChecks.array("reluBackward", "x", x, n);
        KernelChecks.array("reluBackward", "grad", grad, n);
        KernelChecks.array("reluBackward", "out", out, n);
        reluBackward(x, grad, out, 0, n);
    }

    static void reluBackward(float[] x, float[] grad, float[] out, int from, int to) {
        for (int i = from; i < to; i++) {
            out[i] = x[i] > 0f ? grad[i] : 0f;
        }
    }

    @Override
    public void scale(float alpha, float[] x, float[] out, int n) {
        KernelChecks.array("scale", "x", x, n);
        KernelChecks.array("scale", "out", out, n);
        scale(alpha, x, out, 0, n);
    }

    static void scale(float alpha, float[] x, float[] out, int from, int to) {
        for (int i = from; i < to; i++) {
            out[i] = alpha * x[i];
        }
    }

    @Override
    public void axpy(float alpha, float[] x, float[] y, int n) {
        KernelChecks.array("axpy", "x", x, n);
        KernelChecks.array("axpy", "y", y, n);
        axpy(alpha, x, y, 0, n);
    }

    static void axpy(float alpha, float[] x, float[] y, int from, int to) {
        // y += alpha · x, as a multiply then an add (no fma), as the SIMD twin does.
        for (int i = from; i < to; i++) {
            y[i] = y[i] + alpha * x[i];
        }
    }

    @Override
    public void add(float[] a, float[] b, float[] out, int n) {
        KernelChecks.array("add", "a", a, n);
        KernelChecks.array("add", "b", b, n);
        KernelChecks.array("add", "out", out, n);
        add(a, b, out, 0, n);
    }

    static void add(float[] a, float[] b, float[] out, int from, int to) {
        for (int i = from; i < to; i++) {
            out[i] = a[i] + b[i];
        }
    }

    @Override
    public void mul(float[] a, float[] b, float[] out, int n) {
        KernelChecks.array("mul", "a", a, n);
        KernelChecks.array("mul", "b", b, n);
        KernelChecks.array("mul", "out", out, n);
        mul(a, b, out, 0, n);
    }

    static void mul(float[] a, float[] b, float[] out, int from, int to) {
        for (int i = from; i < to; i++) {
            out[i] = a[i] * b[i];
        }
    }

    @Override
    public void columnSums(float[] x, float[] out, int rows, int cols, boolean accumulate) {
        KernelChecks.columnSums(x, out, rows, cols);
        columnSums(x, out, rows, cols, accumulate, 0, cols);
    }

    /** {@link #columnSums} for the columns {@code [from, to)}. */
    static void columnSums(float[] x, float[] out, int rows, int cols, boolean accumulate, int from, int to) {
        if (!accumulate) {
            Arrays.fill(out, from, to, 0f);
        }
        for (int i = 0; i < rows; i++) {
            int r = i * cols;
            for (int j = from; j < to; j++) {
                out[j] += x[r + j];
            }
        }
    }

    @Override
    public void softmaxRows(float[] x, float[] out, int rows, int cols) {
        KernelChecks.dims("softmaxRows", rows, cols);
        KernelChecks.array("softmaxRows", "x", x, (long) rows * cols);
        KernelChecks.array("softmaxRows", "out", out, (long) rows * cols);
        for (int i = 0; i < rows; i++) {
            int r = i * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, x[r + j]);
            }
            float sum = 0f;
            for (int j = 0; j < cols; j++) {
                float e = (float) Math.exp(x[r + j] - max);
                out[r + j] = e;
                sum += e;
            }
            float inv = 1f / sum;
            for (int j = 0; j < cols; j++) {
                out[r + j] *= inv;
            }
        }
    }

    @Override
    public void argmaxRows(float[] x, int[] out, int rows, int cols) {
        KernelChecks.dims("argmaxRows", rows, cols);
        if (rows > 0 && cols < 1) {
            throw new IllegalArgumentException("argmaxRows: needs cols >= 1, got " + cols);
        }
        KernelChecks.array("argmaxRows", "x", x, (long) rows * cols);
        if (out == null || out.length < rows) {
            throw new IllegalArgumentException("argmaxRows: array out needs " + rows + " elements, has "
                    + (out == null ? "null" : out.length));
        }
        for (int i = 0; i < rows; i++) {
            int r = i * cols;
            int best = 0;
            for (int j = 1; j < cols; j++) {
                if (x[r + j] > x[r + best]) {
                    best = j;
                }
            }
            out[i] = best;
        }
    }

    /** Keras' decoupled weight decay of one weight: {@code w - w · weightDecay · lr}, or w when it is off. */
    static float decay(float w, float lr, float weightDecay) {
        return weightDecay != 0f ? w - w * weightDecay * lr : w;
    }

    @Override
    public void sgdUpdate(float[] w, float[] g, float[] u, int n, float lr, float momentum, boolean nesterov,
                          float weightDecay) {
        KernelChecks.update("sgdUpdate", w, g, n);
        KernelChecks.optionalArray("sgdUpdate", "u", u, n);
        sgdUpdate(w, g, u, 0, n, lr, momentum, nesterov, weightDecay);
    }

    static void sgdUpdate(float[] w, float[] g, float[] u, int from, int to, float lr, float momentum,
                          boolean nesterov, float weightDecay) {
        for (int i = from; i < to; i++) {
            float wi = decay(w[i], lr, weightDecay);
            float gi = g[i];
            if (u == null) {
                w[i] = wi - gi * lr;
                continue;
            }
            float ui = u[i] * momentum - gi * lr;
            u[i] = ui;
            w[i] = nesterov ? wi + (ui * momentum - gi * lr) : wi + ui;
        }
    }

    @Override
    public void adamUpdate(float[] w, float[] g, float[] m, float[] v, float[] vHat, int n, float alpha,
                           float oneMinusBeta1, float oneMinusBeta2, float epsilon, float lr, float weightDecay) {
        KernelChecks.update("adamUpdate", w, g, n);
        KernelChecks.array("adamUpdate", "m", m, n);
        KernelChecks.array("adamUpdate", "v", v, n);
        KernelChecks.optionalArray("adamUpdate", "vHat", vHat, n);
        adamUpdate(w, g, m, v, vHat, 0, n, alpha, oneMinusBeta1, oneMinusBeta2, epsilon, lr, weightDecay);
    }

    static void adamUpdate(float[] w, float[] g, float[] m, float[] v, float[] vHat, int from, int to, float alpha,
                           float oneMinusBeta1, float oneMinusBeta2, float epsilon, float lr, float weightDecay) {
        for (int i = from; i < to; i++) {
            float wi = decay(w[i], lr, weightDecay);
            float gi = g[i];
            float mi = m[i] + (gi - m[i]) * oneMinusBeta1;
            float vi = v[i] + (gi * gi - v[i]) * oneMinusBeta2;
            m[i] = mi;
            v[i] = vi;
            if (vHat != null) {
                vi = Math.max(vHat[i], vi);
                vHat[i] = vi;
            }
            w[i] = wi - mi * alpha / ((float) Math.sqrt(vi) + epsilon);
        }
    }

    @Override
    public void rmspropUpdate(float[] w, float[] g, float[] v, float[] a, float[] p, int n, float lr, float rho,
                              float oneMinusRho, float momentum, float epsilon, float weightDecay) {
        KernelChecks.update("rmspropUpdate", w, g, n);
        KernelChecks.array("rmspropUpdate", "v", v, n);
        KernelChecks.optionalArray("rmspropUpdate", "a", a, n);
        KernelChecks.optionalArray("rmspropUpdate", "p", p, n);
        rmspropUpdate(w, g, v, a, p, 0, n, lr, rho, oneMinusRho, momentum, epsilon, weightDecay);
    }

    static void rmspropUpdate(float[] w, float[] g, float[] v, float[] a, float[] p, int from, int to, float lr,
                              float rho, float oneMinusRho, float momentum, float epsilon, float weightDecay) {
        for (int i = from; i < to; i++) {
            float wi = decay(w[i], lr, weightDecay);
            float gi = g[i];
            float vi = rho * v[i] + oneMinusRho * (gi * gi);
            v[i] = vi;
            float d;
            if (a != null) {
                float ai = rho * a[i] + oneMinusRho * gi;
                a[i] = ai;
                d = vi - ai * ai + epsilon;
            } else {
                d = vi + epsilon;
            }
            float step = lr * gi / (float) Math.sqrt(d);
            if (p != null) {
                step = momentum * p[i] + step;
                p[i] = step;
            }
            w[i] = wi - step;
        }
    }

    @Override
    public void adagradUpdate(float[] w, float[] g, float[] acc, int n, float lr, float epsilon, float weightDecay) {
        KernelChecks.update("adagradUpdate", w, g, n);
        KernelChecks.array("adagradUpdate", "acc", acc, n);
        adagradUpdate(w, g, acc, 0, n, lr, epsilon, weightDecay);
    }

    static void adagradUpdate(float[] w, float[] g, float[] acc, int from, int to, float lr, float epsilon,
                              float weightDecay) {
        for (int i = from; i < to; i++) {
            float wi = decay(w[i], lr, weightDecay);
            float gi = g[i];
            float ai = acc[i] + gi * gi;
            acc[i] = ai;
            w[i] = wi - lr * gi / (float) Math.sqrt(ai + epsilon);
        }
    }

    @Override
    public void nadamUpdate(float[] w, float[] g, float[] m, float[] v, int n, float lr, float oneMinusBeta1,
                            float oneMinusBeta2, float uNext, float oneMinusUProductNext, float oneMinusU,
                            float oneMinusUProduct, float oneMinusBeta2Power, float epsilon, float weightDecay) {
        KernelChecks.update("nadamUpdate", w, g, n);
        KernelChecks.array("nadamUpdate", "m", m, n);
        KernelChecks.array("nadamUpdate", "v", v, n);
        nadamUpdate(w, g, m, v, 0, n, lr, oneMinusBeta1, oneMinusBeta2, uNext, oneMinusUProductNext, oneMinusU,
                oneMinusUProduct, oneMinusBeta2Power, epsilon, weightDecay);
    }

    static void nadamUpdate(float[] w, float[] g, float[] m, float[] v, int from, int to, float lr,
                            float oneMinusBeta1, float oneMinusBeta2, float uNext, float oneMinusUProductNext,
                            float oneMinusU, float oneMinusUProduct, float oneMinusBeta2Power, float epsilon,
                            float weightDecay) {
        for (int i = from; i < to; i++) {
            float wi = decay(w[i], lr, weightDecay);
            float gi = g[i];
            float mi = m[i] + (gi - m[i]) * oneMinusBeta1;
            float vi = v[i] + (gi * gi - v[i]) * oneMinusBeta2;
            m[i] = mi;
            v[i] = vi;
            float mHat = uNext * mi / oneMinusUProductNext + oneMinusU * gi / oneMinusUProduct;
            float vHat = vi / oneMinusBeta2Power;
            w[i] = wi - mHat * lr / ((float) Math.sqrt(vHat) + epsilon);
        }
    }

    @Override
    public void adamaxUpdate(float[] w, float[] g, float[] m, float[] u, int n, float lr, float oneMinusBeta1,
                             float beta2, float oneMinusBeta1Power, float epsilon, float weightDecay) {
        KernelChecks.update("adamaxUpdate", w, g, n);
        KernelChecks.array("adamaxUpdate", "m", m, n);
        KernelChecks.array("adamaxUpdate", "u", u, n);
        adamaxUpdate(w, g, m, u, 0, n, lr, oneMinusBeta1, beta2, oneMinusBeta1Power, epsilon, weightDecay);
    }

    static void adamaxUpdate(float[] w, float[] g, float[] m, float[] u, int from, int to, float lr,
                             float oneMinusBeta1, float beta2, float oneMinusBeta1Power, float epsilon,
                             float weightDecay) {
        for (int i = from; i < to; i++) {
            float wi = decay(w[i], lr, weightDecay);
            float gi = g[i];
            float mi = m[i] + (gi - m[i]) * oneMinusBeta1;
            float ui = Math.max(beta2 * u[i], Math.abs(gi));
            m[i] = mi;
            u[i] = ui;
            w[i] = wi - lr * mi / (oneMinusBeta1Power * (ui + epsilon));
        }
    }

    @Override
    public void unsignedBytesToFloats(byte[] src, int srcOff, float[] dst, int dstOff, int n, float divisor) {
        KernelChecks.unsignedBytesToFloats(src, srcOff, dst, dstOff, n);
        unsignedBytesToFloats(src, srcOff, dst, dstOff, 0, n, divisor);
    }

    /** Elements {@code [from, to)} of {@link #unsignedBytesToFloats(byte[], int, float[], int, int, float)}. */
    static void unsignedBytesToFloats(byte[] src, int srcOff, float[] dst, int dstOff, int from, int to, float divisor) {
        for (int i = from; i < to; i++) {
            dst[dstOff + i] = (src[srcOff + i] & 0xFF) / divisor;
        }
    }

    @Override
    public int firstNonFinite(float[] x, int n) {
        KernelChecks.array("firstNonFinite", "x", x, n);
        return firstNonFinite(x, 0, n);
    }

    /** The first index in {@code [from, to)} whose value is NaN or infinite, or -1. */
    static int firstNonFinite(float[] x, int from, int to) {
        for (int i = from; i < to; i++) {
            // x - x is +0 for every finite x and NaN for NaN and both infinities.
            if (x[i] - x[i] != 0f) {
                return i;
            }
        }
        return -1;
    }
}
