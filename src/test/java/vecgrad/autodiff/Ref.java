package vecgrad.autodiff;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/** Plain double-precision references for the ops, written from the definitions (no kernels, no tape). */
final class Ref {

    private Ref() {
    }

    /** a (m,k) · b (k,n). */
    static double[] matmul(double[] a, double[] b, int m, int k, int n) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += a[i * k + p] * b[p * n + j];
                }
                c[i * n + j] = s;
            }
        }
        return c;
    }

    /** f(a, b) elementwise; b (n,) repeats over the rows of a when b is shorter. */
    static double[] zip(double[] a, double[] b, DoubleBinaryOperator f) {
        double[] c = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            c[i] = f.applyAsDouble(a[i], b[i % b.length]);
        }
        return c;
    }

    static double[] map(double[] x, DoubleUnaryOperator f) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = f.applyAsDouble(x[i]);
        }
        return y;
    }

    static double[] softmaxRows(double[] x, int m, int n) {
        double[] y = new double[m * n];
        for (int i = 0; i < m; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                max = Math.max(max, x[i * n + j]);
            }
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += Math.exp(x[i * n + j] - max);
            }
            for (int j = 0; j < n; j++) {
                y[i * n + j] = Math.exp(x[i * n + j] - max) / s;
            }
        }
        return y;
    }

    static double[] logSoftmaxRows(double[] x, int m, int n) {
        return map(softmaxRows(x, m, n), Math::log);
    }

    static double[] sum(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return new double[] {s};
    }

    /** Sums of x (m,n) along axis 0 (n,) or 1 (m,). */
    static double[] sum(double[] x, int m, int n, int axis) {
        double[] y = new double[axis == 0 ? n : m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                y[axis == 0 ? j : i] += x[i * n + j];
            }
        }
        return y;
    }

    /** mean over rows of −Σ labels · log softmax(logits), a scalar. */
    static double[] softmaxCrossEntropy(double[] labels, double[] logits, int m, int n) {
        double[] logp = logSoftmaxRows(logits, m, n);
        double s = 0;
        for (int i = 0; i < m * n; i++) {
            s -= labels[i] * logp[i];
        }
        return new double[] {s / m};
    }

    /** Keras' categorical cross-entropy on probabilities: rows normalised, clipped to [1e-7, 1 − 1e-7], mean over rows. */
    static double[] categoricalCrossentropy(double[] yTrue, double[] yPred, int m, int n) {
        double lo = 1e-7f;
        double hi = 1f - 1e-7f;
        double s = 0;
        for (int i = 0; i < m; i++) {
            double rowSum = 0;
            for (int j = 0; j < n; j++) {
                rowSum += yPred[i * n + j];
            }
            for (int j = 0; j < n; j++) {
                double q = Math.min(Math.max(yPred[i * n + j] / rowSum, lo), hi);
                s -= yTrue[i * n + j] * Math.log(q);
            }
        }
        return new double[] {s / m};
    }

    /**
     * The loss of a Dense-ReLU-...-Dense-softmax network with cross-entropy, for inputs
     * {x, y, W1, b1, W2, b2, ...} and layer widths n0..nL, batch m.
     */
    static double[] mlpLoss(double[][] in, int m, int[] widths) {
        double[] a = in[0];
        int layers = widths.length - 1;
        for (int l = 0; l < layers; l++) {
            double[] z = zip(matmul(a, in[2 + 2 * l], m, widths[l], widths[l + 1]), in[3 + 2 * l], Double::sum);
            a = l < layers - 1 ? map(z, v -> Math.max(v, 0)) : z;
        }
        return softmaxCrossEntropy(in[1], a, m, widths[layers]);
    }
}
