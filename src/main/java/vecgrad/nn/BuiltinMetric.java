package vecgrad.nn;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import vecgrad.kernel.KernelProvider;
import vecgrad.tensor.Tensor;

/**
 * The built-in metrics behind {@link Metric}'s factories, with Keras 3's formulas
 * (keras/src/metrics/accuracy_metrics.py, confusion_metrics.py, regression_metrics.py, metrics_utils.py).
 *
 * <p>A batch is read as {@code m} samples, {@code yPred (m, k)} and {@code yTrue (m, kt)}, whatever the
 * rank beyond the first axis. Every update checks the whole batch before it changes any state. State is
 * kept in double (Keras keeps float32 variables), so counts stay exact: an unweighted accuracy is
 * exactly {@code correct / samples}.
 */
abstract class BuiltinMetric implements Metric {

    private final String name;
    private final Direction direction;

    BuiltinMetric(String name, Direction direction) {
        this.name = name;
        this.direction = direction;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Direction direction() {
        return direction;
    }

    @Override
    public String toString() {
        return name;
    }

    /** The settings besides the name that a saved compile config holds (a threshold, k); none by default. */
    Map<String, Object> settings() {
        return Map.of();
    }

    /**
     * Throws unless the metric can read a model's {@code outputs}-wide predictions against its targets
     * ({@code sparseLabels}: one class index per sample), so a compile refuses what would give a
     * meaningless number.
     */
    abstract void checkFits(String method, int outputs, boolean sparseLabels);

    @Override
    public final void update(Tensor yTrue, Tensor yPred) {
        update(yTrue, yPred, null);
    }

    @Override
    public final void update(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        Objects.requireNonNull(yTrue, name + ": yTrue");
        Objects.requireNonNull(yPred, name + ": yPred");
        if (yPred.rank() == 0 || yTrue.rank() == 0 || yTrue.dim(0) != yPred.dim(0)) {
            throw new IllegalArgumentException(name + ": expected yTrue and yPred with the same number of samples"
                    + " (first axis), got yTrue " + yTrue.shapeString() + " and yPred " + yPred.shapeString());
        }
        int m = yPred.dim(0);
        int k = perSample(yPred);
        int kt = perSample(yTrue);
        float[] w = weights(name, sampleWeight, m);
        if (m == 0) {
            return;
        }
        checkTargets(yTrue, kt, yPred, k, m);
        accumulate(yTrue, kt, yPred, k, m, w);
    }

    /** Throws unless {@code yTrue} fits {@code yPred}; by default, one target per prediction. */
    void checkTargets(Tensor yTrue, int kt, Tensor yPred, int k, int m) {
        if (kt != k) {
            throw new IllegalArgumentException(name + ": expected yTrue with as many values per sample as yPred, got yTrue "
                    + yTrue.shapeString() + " and yPred " + yPred.shapeString());
        }
    }

    /** Checks the values and accumulates {@code m} samples; {@code w} is null for unit weights. */
    abstract void accumulate(Tensor yTrue, int kt, Tensor yPred, int k, int m, float[] w);

    private static int perSample(Tensor t) {
        int s = 1;
        for (int i = 1; i < t.rank(); i++) {
            s *= t.dim(i);
        }
        return s;
    }

    /** The weights as an array, checked: {@code (m)} (or {@code (m, 1)}), finite, >= 0; null stays null. */
    static float[] weights(String who, Tensor sampleWeight, int m) {
        if (sampleWeight == null) {
            return null;
        }
        if (!(sampleWeight.hasShape(m) || sampleWeight.hasShape(m, 1))) {
            throw new IllegalArgumentException(who + ": expected sample weights of shape (" + m + "), one per sample, got "
                    + sampleWeight.shapeString());
        }
        float[] w = sampleWeight.data();
        for (int i = 0; i < m; i++) {
            if (!(w[i] >= 0) || w[i] == Float.POSITIVE_INFINITY) {
                throw new IllegalArgumentException(who + ": sample weights must be finite and >= 0, got " + w[i]
                        + " at sample " + i);
            }
        }
        return w;
    }

    /** Sample {@code i}'s weight; {@code w} is null for unit weights. */
    static double weight(float[] w, int i) {
        return w == null ? 1 : w[i];
    }

    static void refuseSparse(String method, String name, boolean sparseLabels, String instead) {
        if (sparseLabels) {
            throw new IllegalArgumentException(method + ": metric " + name + " expects one target per output, but the"
                    + " loss takes sparse class labels" + instead);
        }
    }

    // ---------------------------------------------------------------- means of per-sample values

    /**
     * Keras' {@code MeanMetricWrapper}: a per-sample value, averaged with the sample weights,
     * {@code total / count} with {@code total = Σ w·v}, {@code count = Σ w} (0 when count is 0).
     */
    abstract static class SampleMean extends BuiltinMetric {
        private double total;
        private double count;
        private double[] values = new double[0];

        SampleMean(String name, Direction direction) {
            super(name, direction);
        }

        /** Checks the batch and writes each sample's value into {@code out[0..m)}. */
        abstract void values(Tensor yTrue, int kt, Tensor yPred, int k, int m, double[] out);

        @Override
        final void accumulate(Tensor yTrue, int kt, Tensor yPred, int k, int m, float[] w) {
            if (values.length < m) {
                values = new double[m];
            }
            values(yTrue, kt, yPred, k, m, values);
            for (int i = 0; i < m; i++) {
                double wi = weight(w, i);
                total += wi * values[i];
                count += wi;
            }
        }

        @Override
        public final double result() {
            return count == 0 ? 0 : total / count;
        }

        /** The weighted sum of the values and of the weights (for a batch's own value: the difference of two). */
        final double total() {
            return total;
        }

        final double count() {
            return count;
        }

        @Override
        public final void reset() {
            total = 0;
            count = 0;
        }
    }

    /** keras/src/metrics/accuracy_metrics.py, binary_accuracy: {@code y_pred > threshold} equal to {@code y_true}. */
    static final class BinaryAccuracy extends SampleMean {
        private final float threshold;

        BinaryAccuracy(String name, float threshold) {
            super(name, Direction.UP);
            this.threshold = threshold;
        }

        @Override
        void checkFits(String method, int outputs, boolean sparseLabels) {
            refuseSparse(method, name(), sparseLabels, ": binary accuracy reads 0/1 targets");
        }

        @Override
        void values(Tensor yTrue, int kt, Tensor yPred, int k, int m, double[] out) {
            float[] t = yTrue.data();
            float[] p = yPred.data();
            for (int i = 0; i < m; i++) {
                int equal = 0;
                for (int j = i * k; j < i * k + k; j++) {
                    float predicted = p[j] > threshold ? 1f : 0f;
                    equal += predicted == t[j] ? 1 : 0;
                }
                out[i] = (double) equal / k; // Keras averages a sample's outputs before weighting it
            }
        }

        @Override
        public Metric fresh() {
            return new BinaryAccuracy(name(), threshold);
        }

        @Override
        Map<String, Object> settings() {
            return Map.of("threshold", (double) threshold);
        }
    }

    /** keras/src/metrics/accuracy_metrics.py, categorical_accuracy: arg-max of y_pred equal to arg-max of y_true. */
    static final class CategoricalAccuracy extends SampleMean {
        private int[] predicted = new int[0];
        private int[] truth = new int[0];

        CategoricalAccuracy(String name) {
            super(name, Direction.UP);
        }

        @Override
        void checkFits(String method, int outputs, boolean sparseLabels) {
            refuseSparse(method, name(), sparseLabels, ": use Metric.sparseCategoricalAccuracy() or Metric.ACCURACY");
            if (outputs < 2) {
                throw new IllegalArgumentException(method + ": metric " + name() + " takes the arg-max of at least 2"
                        + " outputs, got " + outputs + " (always 1.0): use Metric.binaryAccuracy() or Metric.ACCURACY");
            }
        }

        @Override
        void values(Tensor yTrue, int kt, Tensor yPred, int k, int m, double[] out) {
            if (predicted.length < m) {
                predicted = new int[m];
                truth = new int[m];
            }
            // The kernel's arg-max (first index on ties), as vecgrad's accuracy always was.
            KernelProvider.get().argmaxRows(yPred.data(), predicted, m, k);
            KernelProvider.get().argmaxRows(yTrue.data(), truth, m, k);
            for (int i = 0; i < m; i++) {
                out[i] = predicted[i] == truth[i] ? 1 : 0;
            }
        }

        @Override
        public Metric fresh() {
            return new CategoricalAccuracy(name());
        }
    }

    /** keras/src/metrics/accuracy_metrics.py, sparse_categorical_accuracy: arg-max of y_pred equal to the label. */
    static final class SparseCategoricalAccuracy extends SampleMean {
        private int[] predicted = new int[0];

        SparseCategoricalAccuracy(String name) {
            super(name, Direction.UP);
        }

        @Override
        void checkFits(String method, int outputs, boolean sparseLabels) {
            if (!sparseLabels) {
                throw new IllegalArgumentException(method + ": metric " + name() + " reads integer class labels, but the"
                        + " loss takes one-hot targets: use Metric.categoricalAccuracy() or Metric.ACCURACY");
            }
        }

        @Override
        void checkTargets(Tensor yTrue, int kt, Tensor yPred, int k, int m) {
            if (kt != 1) {
                throw new IllegalArgumentException(name() + ": expected yTrue of class labels, shape (" + m + ") or (" + m
                        + ", 1), got " + yTrue.shapeString());
            }
        }

        @Override
        void values(Tensor yTrue, int kt, Tensor yPred, int k, int m, double[] out) {
            float[] t = yTrue.data();
            for (int i = 0; i < m; i++) {
                BuiltinLoss.classIndex(t[i], k, i);
            }
            if (predicted.length < m) {
                predicted = new int[m];
            }
            KernelProvider.get().argmaxRows(yPred.data(), predicted, m, k);
            for (int i = 0; i < m; i++) {
                out[i] = predicted[i] == (int) t[i] ? 1 : 0;
            }
        }

        @Override
        public Metric fresh() {
            return new SparseCategoricalAccuracy(name());
        }
    }

    /**
     * keras/src/metrics/accuracy_metrics.py, top_k_categorical_accuracy: {@code in_top_k(argmax(y_true),
     * y_pred, k)}. Ties follow the TensorFlow backend's in_top_k: the target is in the top k when fewer
     * than k predictions are strictly larger (tied classes straddling the boundary all count as in).
     * A NaN target prediction is never in.
     */
    static final class TopK extends SampleMean {
        private final int topK;
        private int[] truth = new int[0];

        TopK(String name, int k) {
            super(name, Direction.UP);
            this.topK = k;
        }

        @Override
        void checkFits(String method, int outputs, boolean sparseLabels) {
            refuseSparse(method, name(), sparseLabels, ": top-k accuracy reads one-hot targets");
            if (topK >= outputs) {
                throw new IllegalArgumentException(method + ": metric " + name() + " with k=" + topK + " needs more than "
                        + topK + " outputs, got " + outputs + " (every class would be in the top " + topK + ")");
            }
        }

        @Override
        void values(Tensor yTrue, int kt, Tensor yPred, int k, int m, double[] out) {
            if (truth.length < m) {
                truth = new int[m];
            }
            KernelProvider.get().argmaxRows(yTrue.data(), truth, m, k);
            float[] p = yPred.data();
            for (int i = 0; i < m; i++) {
                float target = p[i * k + truth[i]];
                int larger = 0;
                for (int j = i * k; j < i * k + k; j++) {
                    larger += p[j] > target ? 1 : 0;
                }
                out[i] = !Float.isNaN(target) && larger < topK ? 1 : 0;
            }
        }

        @Override
        public Metric fresh() {
            return new TopK(name(), topK);
        }

        @Override
        Map<String, Object> settings() {
            return Map.of("k", (long) topK);
        }
    }

    /** keras/src/metrics/regression_metrics.py: mean_absolute_error / mean_squared_error, per sample over its outputs. */
    static final class MeanError extends SampleMean {
        private final boolean squared;

        MeanError(String name, boolean squared) {
            super(name, Direction.DOWN);
            this.squared = squared;
        }

        @Override
        void checkFits(String method, int outputs, boolean sparseLabels) {
            if (outputs != 1) {
                refuseSparse(method, name(), sparseLabels, "");
            }
        }

        @Override
        void values(Tensor yTrue, int kt, Tensor yPred, int k, int m, double[] out) {
            float[] t = yTrue.data();
            float[] p = yPred.data();
            for (int i = 0; i < m; i++) {
                double s = 0;
                for (int j = i * k; j < i * k + k; j++) {
                    double d = (double) t[j] - p[j];
                    s += squared ? d * d : Math.abs(d);
                }
                out[i] = s / k;
            }
        }

        @Override
        public Metric fresh() {
            return new MeanError(name(), squared);
        }
    }

    // ---------------------------------------------------------------- confusion counts

    /**
     * keras/src/metrics/confusion_metrics.py, Precision and Recall with thresholds=None (0.5): every
     * output is one decision, positive when {@code y_pred > 0.5}, truly positive when {@code y_true != 0};
     * a sample's weight weights each of its outputs. Result {@code divide_no_nan(tp, tp + fp)} (precision)
     * or {@code divide_no_nan(tp, tp + fn)} (recall).
     */
    static final class PrecisionRecall extends BuiltinMetric {
        private static final float THRESHOLD = 0.5f;
        private final boolean precision;
        private double tp;
        private double fp;
        private double fn;

        PrecisionRecall(String name, boolean precision) {
            super(name, Direction.UP);
            this.precision = precision;
        }

        @Override
        void checkFits(String method, int outputs, boolean sparseLabels) {
            refuseSparse(method, name(), sparseLabels, ": it reads 0/1 targets");
        }

        @Override
        void accumulate(Tensor yTrue, int kt, Tensor yPred, int k, int m, float[] w) {
            float[] t = yTrue.data();
            float[] p = yPred.data();
            for (int i = 0; i < m; i++) {
                double wi = weight(w, i);
                for (int j = i * k; j < i * k + k; j++) {
                    boolean predicted = p[j] > THRESHOLD;
                    boolean actual = t[j] != 0;
                    if (predicted && actual) {
                        tp += wi;
                    } else if (predicted) {
                        fp += wi;
                    } else if (actual) {
                        fn += wi;
                    }
                }
            }
        }

        @Override
        public double result() {
            double denominator = tp + (precision ? fp : fn);
            return denominator == 0 ? 0 : tp / denominator;
        }

        @Override
        public void reset() {
            tp = 0;
            fp = 0;
            fn = 0;
        }

        @Override
        public Metric fresh() {
            return new PrecisionRecall(name(), precision);
        }
    }

    /**
     * keras/src/metrics/confusion_metrics.py, AUC with its defaults (curve="ROC",
     * summation_method="interpolation", multi_label=False, num_thresholds=200). Matched:
     * <ul>
     * <li>thresholds {@code [0 - ε, 1/(n-1), 2/(n-1), ..., (n-2)/(n-1), 1 + ε]}, ε = 1e-7 (Keras' backend
     *     epsilon), as float32; a prediction counts as positive at a threshold when {@code y_pred > t}
     *     (metrics_utils.update_confusion_matrix_variables);</li>
     * <li>true/false positives and negatives per threshold, weighted by the sample weights;</li>
     * <li>{@code recall = divide_no_nan(tp, tp + fn)}, {@code fpr = divide_no_nan(fp, fp + tn)}, and the
     *     area {@code Σ (fpr[i] - fpr[i+1]) · (recall[i] + recall[i+1]) / 2} (the trapezoidal rule).</li>
     * </ul>
     * Keras asserts predictions in [0, 1]; so do we, before any state changes. Each prediction is
     * placed by binary search among the sorted thresholds, so a batch costs {@code m·k·log n}.
     */
    static final class Auc extends BuiltinMetric {
        private static final float EPSILON = 1e-7f;
        private final float[] thresholds;
        private final double[] tp;
        private final double[] fp;
        private final double[] tn;
        private final double[] fn;

        Auc(String name, int n) {
            super(name, Direction.UP);
            thresholds = new float[n];
            thresholds[0] = 0f - EPSILON;
            for (int i = 1; i < n - 1; i++) {
                thresholds[i] = (float) (i * 1.0 / (n - 1));
            }
            thresholds[n - 1] = 1f + EPSILON;
            tp = new double[n];
            fp = new double[n];
            tn = new double[n];
            fn = new double[n];
        }

        @Override
        void checkFits(String method, int outputs, boolean sparseLabels) {
            refuseSparse(method, name(), sparseLabels, ": it reads 0/1 targets");
        }

        @Override
        void accumulate(Tensor yTrue, int kt, Tensor yPred, int k, int m, float[] w) {
            float[] t = yTrue.data();
            float[] p = yPred.data();
            for (int j = 0; j < m * k; j++) {
                if (!(p[j] >= 0 && p[j] <= 1)) {
                    throw new IllegalArgumentException(name() + ": expected predictions in [0, 1], got " + p[j]
                            + " at sample " + j / k + " (pass probabilities, e.g. a sigmoid output, not logits)");
                }
            }
            int n = thresholds.length;
            // above[c]: the weight of positives (or negatives) above exactly the first c thresholds.
            double[] posAbove = new double[n + 1];
            double[] negAbove = new double[n + 1];
            for (int i = 0; i < m; i++) {
                double wi = weight(w, i);
                for (int j = i * k; j < i * k + k; j++) {
                    int c = thresholdsBelow(p[j]);
                    if (t[j] != 0) {
                        posAbove[c] += wi;
                    } else {
                        negAbove[c] += wi;
                    }
                }
            }
            // A prediction above the first c thresholds is a positive call at thresholds 0..c-1.
            double posTotal = Arrays.stream(posAbove).sum();
            double negTotal = Arrays.stream(negAbove).sum();
            double pos = 0;
            double neg = 0;
            for (int i = n - 1; i >= 0; i--) {
                pos += posAbove[i + 1];
                neg += negAbove[i + 1];
                tp[i] += pos;
                fp[i] += neg;
                fn[i] += posTotal - pos;
                tn[i] += negTotal - neg;
            }
        }

        /** How many thresholds lie strictly below {@code v}. */
        private int thresholdsBelow(float v) {
            int lo = 0;
            int hi = thresholds.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (v > thresholds[mid]) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        @Override
        public double result() {
            int n = thresholds.length;
            double area = 0;
            for (int i = 0; i < n - 1; i++) {
                double x0 = rate(fp[i], tn[i]);
                double x1 = rate(fp[i + 1], tn[i + 1]);
                double y0 = rate(tp[i], fn[i]);
                double y1 = rate(tp[i + 1], fn[i + 1]);
                area += (x0 - x1) * (y0 + y1) / 2;
            }
            return area;
        }

        private static double rate(double a, double b) {
            return a + b == 0 ? 0 : a / (a + b);
        }

        @Override
        public void reset() {
            Arrays.fill(tp, 0);
            Arrays.fill(fp, 0);
            Arrays.fill(tn, 0);
            Arrays.fill(fn, 0);
        }

        @Override
        public Metric fresh() {
            return new Auc(name(), thresholds.length);
        }
    }
}
