package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import vecgrad.tensor.Tensor;

/**
 * Every built-in metric against Keras 3's formula, written out again here in double, independently of
 * the implementation (per-threshold loops where the implementation bins, explicit sorting where it
 * counts): keras/src/metrics/accuracy_metrics.py (binary_accuracy, categorical_accuracy,
 * sparse_categorical_accuracy, top_k_categorical_accuracy), confusion_metrics.py (Precision, Recall, AUC
 * with metrics_utils.update_confusion_matrix_variables), regression_metrics.py (mean_absolute_error,
 * mean_squared_error), reduction_metrics.py (Mean: total / count with sample weights). Each is fed two
 * batches and compared with the formula over their union, then reset.
 *
 * <p>Metrics have no gradient (they are never on a tape), so there is no finite-difference check here.
 */
final class MetricTest {

    private static final double EXACT = 1e-12;

    private static Tensor t(int m, int k, double... v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return Tensor.of(f, m, k);
    }

    private static Tensor w(double... v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return Tensor.of(f, v.length);
    }

    /** Rows {@code [from, to)}. */
    private static Tensor rows(Tensor x, int from, int to) {
        int k = x.size() / x.dim(0);
        float[] d = java.util.Arrays.copyOfRange(x.data(), from * k, to * k);
        return x.rank() == 1 ? Tensor.of(d, to - from) : Tensor.of(d, to - from, k);
    }

    /** Feeds the batch in two parts (rows [0, cut) then [cut, m)), weighted if w != null. */
    private static double twoBatches(Metric metric, Tensor yTrue, Tensor yPred, Tensor w, int cut) {
        int m = yPred.dim(0);
        metric.update(rows(yTrue, 0, cut), rows(yPred, 0, cut), w == null ? null : rows(w, 0, cut));
        metric.update(rows(yTrue, cut, m), rows(yPred, cut, m), w == null ? null : rows(w, cut, m));
        return metric.result();
    }

    private static void assertResetForgets(Metric metric) {
        metric.reset();
        assertThat(metric.result()).as("divide_no_nan of an empty state").isZero();
    }

    // ---------------------------------------------------------------- accuracies

    @Test
    void binaryAccuracy_matchesKerasOverTwoBatchesWeightedAndNot() {
        // 3 samples x 2 outputs; predictions on both sides of 0.5 and exactly at it (not > 0.5: 0).
        Tensor yTrue = t(3, 2, 1, 0, 0, 1, 1, 1);
        Tensor yPred = t(3, 2, 0.9, 0.2, 0.5, 0.7, 0.1, 0.51);
        // Keras: equal(y_true, cast(y_pred > 0.5)) per element, Mean over a sample's elements, weighted mean.
        double[] perSample = {(1 + 1) / 2.0, (1 + 1) / 2.0, (0 + 1) / 2.0};
        Metric m = Metric.binaryAccuracy();
        assertThat(m.name()).isEqualTo("binary_accuracy");
        assertThat(twoBatches(m, yTrue, yPred, null, 1)).isCloseTo((1 + 1 + 0.5) / 3, within(EXACT));
        assertResetForgets(m);
        double[] ws = {2, 0.5, 3};
        double expected = (ws[0] * perSample[0] + ws[1] * perSample[1] + ws[2] * perSample[2]) / (ws[0] + ws[1] + ws[2]);
        assertThat(twoBatches(m, yTrue, yPred, w(ws), 2)).isCloseTo(expected, within(EXACT));
    }

    @Test
    void categoricalAccuracy_takesTheFirstArgMaxAndAccumulates() {
        Tensor yTrue = t(4, 3, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0);
        // Row 4 ties 0.4/0.4: the first index (0) wins, as argmax does, so it is wrong.
        Tensor yPred = t(4, 3, 0.1, 0.8, 0.1, 0.2, 0.7, 0.1, 0.3, 0.3, 0.4, 0.4, 0.4, 0.2);
        Metric m = Metric.categoricalAccuracy();
        assertThat(m.name()).isEqualTo("categorical_accuracy");
        assertThat(twoBatches(m, yTrue, yPred, null, 3)).isCloseTo(2 / 4.0, within(EXACT));
        assertResetForgets(m);
        assertThat(twoBatches(m, yTrue, yPred, w(1, 5, 2, 0), 1)).isCloseTo((1 + 2) / 8.0, within(EXACT));
    }

    @Test
    void sparseCategoricalAccuracy_comparesTheArgMaxWithTheLabel() {
        Tensor labels = Tensor.of(new float[] {1, 0, 2, 1}, 4);
        Tensor yPred = t(4, 3, 0.1, 0.8, 0.1, 0.2, 0.7, 0.1, 0.3, 0.3, 0.4, 0.4, 0.4, 0.2);
        Metric m = Metric.sparseCategoricalAccuracy();
        assertThat(m.name()).isEqualTo("sparse_categorical_accuracy");
        assertThat(twoBatches(m, labels, yPred, null, 2)).isCloseTo(2 / 4.0, within(EXACT));
        m.reset();
        m.update(labels.reshape(4, 1), yPred);
        assertThat(m.result()).isCloseTo(0.5, within(EXACT));
        float[] before = {(float) m.result()};
        assertThatThrownBy(() -> m.update(Tensor.of(new float[] {1, 0, 3, 1}, 4), yPred))
                .hasMessageContaining("label 3.0 at row 2 is not a class index in [0, 3)");
        assertThat(m.result()).as("a refused batch changes nothing").isEqualTo(before[0]);
    }

    @Test
    void topKCategoricalAccuracy_countsTargetsAmongTheKLargest() {
        // 5 classes, k = 2. In-top-k as TensorFlow's: fewer than k predictions strictly larger.
        Tensor yTrue = t(4, 5,
                0, 0, 1, 0, 0,
                1, 0, 0, 0, 0,
                0, 0, 0, 0, 1,
                0, 1, 0, 0, 0);
        Tensor yPred = t(4, 5,
                0.1, 0.3, 0.2, 0.25, 0.15,   // target 0.2: 0.3, 0.25 larger -> out
                0.5, 0.1, 0.1, 0.2, 0.1,     // target largest -> in
                0.2, 0.2, 0.2, 0.2, 0.2,     // all tied: none larger -> in
                0.1, 0.3, 0.35, 0.05, 0.2);  // target second -> in
        Metric m = Metric.topKCategoricalAccuracy(2);
        assertThat(m.name()).isEqualTo("top_k_categorical_accuracy");
        assertThat(twoBatches(m, yTrue, yPred, null, 2)).isCloseTo(3 / 4.0, within(EXACT));
        assertResetForgets(m);
        assertThat(twoBatches(m, yTrue, yPred, w(4, 1, 1, 1), 1)).isCloseTo(3 / 7.0, within(EXACT));
        // Reference by sorting: the target's rank among the predictions (strictly larger ones).
        Random rng = new Random(3);
        Tensor p = Tensor.randomUniform(rng, 0, 1, 40, 7);
        Tensor y = Tensor.zeros(40, 7);
        double in = 0;
        for (int i = 0; i < 40; i++) {
            int c = rng.nextInt(7);
            y.set(1f, i, c);
            float target = p.get(i, c);
            float[] row = java.util.Arrays.copyOfRange(p.data(), i * 7, i * 7 + 7);
            java.util.Arrays.sort(row);
            in += target >= row[7 - 3] ? 1 : 0; // the 3rd largest value or above
        }
        Metric top3 = Metric.topKCategoricalAccuracy(3);
        assertThat(twoBatches(top3, y, p, null, 17)).isCloseTo(in / 40, within(EXACT));
        assertThat(Metric.topKCategoricalAccuracy().fresh()).isNotNull();
    }

    // ---------------------------------------------------------------- confusion metrics

    /** Keras' confusion counts at one threshold: {tp, fp, tn, fn}, every element one decision. */
    private static double[] confusion(Tensor yTrue, Tensor yPred, Tensor w, float threshold) {
        double[] c = new double[4];
        int m = yPred.dim(0);
        int k = yPred.size() / m;
        for (int i = 0; i < m; i++) {
            double wi = w == null ? 1 : w.data()[i];
            for (int j = 0; j < k; j++) {
                boolean pos = yPred.data()[i * k + j] > threshold;
                boolean actual = yTrue.data()[i * k + j] != 0;
                c[pos ? (actual ? 0 : 1) : (actual ? 3 : 2)] += wi;
            }
        }
        return c;
    }

    @Test
    void precisionAndRecall_matchKerasCountsAtHalf() {
        Tensor yTrue = t(4, 2, 1, 0, 1, 1, 0, 0, 1, 0);
        Tensor yPred = t(4, 2, 0.8, 0.6, 0.4, 0.9, 0.7, 0.2, 0.5, 0.1);
        for (Tensor w : new Tensor[] {null, w(1, 2, 0.5, 3)}) {
            double[] c = confusion(yTrue, yPred, w, 0.5f);
            Metric p = Metric.precision();
            Metric r = Metric.recall();
            assertThat(twoBatches(p, yTrue, yPred, w, 1)).isCloseTo(c[0] / (c[0] + c[1]), within(EXACT));
            assertThat(twoBatches(r, yTrue, yPred, w, 3)).isCloseTo(c[0] / (c[0] + c[3]), within(EXACT));
            assertResetForgets(p);
            assertResetForgets(r);
        }
        assertThat(Metric.precision().name()).isEqualTo("precision");
        assertThat(Metric.recall().name()).isEqualTo("recall");
        Metric none = Metric.precision();
        none.update(t(1, 2, 1, 1), t(1, 2, 0.1, 0.2)); // no positive call: divide_no_nan gives 0
        assertThat(none.result()).isZero();
    }

    /** Keras' AUC, written out: 200 thresholds, a confusion count at each, then the trapezoids. */
    private static double kerasAuc(Tensor yTrue, Tensor yPred, Tensor w) {
        int n = 200;
        double eps = 1e-7;
        double[] recall = new double[n];
        double[] fpr = new double[n];
        for (int i = 0; i < n; i++) {
            double thr = i == 0 ? 0 - eps : i == n - 1 ? 1 + eps : (double) i / (n - 1);
            double[] c = confusion(yTrue, yPred, w, (float) thr);
            recall[i] = c[0] + c[3] == 0 ? 0 : c[0] / (c[0] + c[3]);
            fpr[i] = c[1] + c[2] == 0 ? 0 : c[1] / (c[1] + c[2]);
        }
        double auc = 0;
        for (int i = 0; i < n - 1; i++) {
            auc += (fpr[i] - fpr[i + 1]) * (recall[i] + recall[i + 1]) / 2;
        }
        return auc;
    }

    @Test
    void auc_matchesKerasInterpolatedRocOverBatchesAndWeights() {
        Random rng = new Random(11);
        Tensor yPred = Tensor.randomUniform(rng, 0, 1, 60, 2);
        Tensor yTrue = Tensor.zeros(60, 2);
        for (int i = 0; i < yTrue.size(); i++) {
            // Positives tend to score higher: an AUC well inside (0.5, 1).
            yTrue.data()[i] = rng.nextDouble() < yPred.data()[i] ? 1 : 0;
        }
        yPred.data()[0] = 0f;
        yPred.data()[1] = 1f;
        Tensor w = Tensor.randomUniform(rng, 0, 3, 60);
        Metric auc = Metric.auc();
        assertThat(auc.name()).isEqualTo("auc");
        double expected = kerasAuc(yTrue, yPred, null);
        assertThat(expected).isBetween(0.6, 0.95);
        assertThat(twoBatches(auc, yTrue, yPred, null, 23)).isCloseTo(expected, within(1e-12));
        assertResetForgets(auc);
        assertThat(twoBatches(auc, yTrue, yPred, w, 41)).isCloseTo(kerasAuc(yTrue, yPred, w), within(1e-12));
        // A perfect ranking: 1 (up to the threshold grid, which no prediction straddles here).
        Metric perfect = Metric.auc();
        perfect.update(t(4, 1, 0, 0, 1, 1), t(4, 1, 0.1, 0.2, 0.8, 0.9));
        assertThat(perfect.result()).isCloseTo(1.0, within(EXACT));
        assertThatThrownBy(() -> perfect.update(t(1, 1, 1), t(1, 1, 1.5)))
                .hasMessageContaining("expected predictions in [0, 1], got 1.5");
        assertThat(perfect.result()).isCloseTo(1.0, within(EXACT));
    }

    // ---------------------------------------------------------------- regression

    @Test
    void meanAbsoluteAndSquaredError_matchKeras() {
        Tensor yTrue = t(3, 2, 1, 2, 3, 4, 5, 6);
        Tensor yPred = t(3, 2, 1.5, 2, 2, 4.5, 7, 6);
        double[] abs = {0.25, 0.75, 1.0};
        double[] sq = {0.125, 0.625, 2.0};
        Metric mae = Metric.meanAbsoluteError();
        Metric mse = Metric.meanSquaredError();
        assertThat(mae.name()).isEqualTo("mean_absolute_error");
        assertThat(mse.name()).isEqualTo("mean_squared_error");
        assertThat(twoBatches(mae, yTrue, yPred, null, 1)).isCloseTo((abs[0] + abs[1] + abs[2]) / 3, within(EXACT));
        assertThat(twoBatches(mse, yTrue, yPred, null, 2)).isCloseTo((sq[0] + sq[1] + sq[2]) / 3, within(EXACT));
        assertResetForgets(mae);
        assertResetForgets(mse);
        assertThat(twoBatches(mse, yTrue, yPred, w(0, 2, 1), 1)).isCloseTo((2 * sq[1] + sq[2]) / 3, within(EXACT));
        assertThat(mae.direction()).isEqualTo(Metric.Direction.DOWN);
        assertThat(Metric.auc().direction()).isEqualTo(Metric.Direction.UP);
    }

    // ---------------------------------------------------------------- contract

    @Test
    void fresh_givesAnIndependentEmptyMetric() {
        Metric a = Metric.categoricalAccuracy();
        a.update(t(1, 2, 1, 0), t(1, 2, 0.9, 0.1));
        Metric b = a.fresh();
        assertThat(b).isNotSameAs(a);
        assertThat(b.result()).isZero();
        b.update(t(1, 2, 1, 0), t(1, 2, 0.1, 0.9));
        assertThat(a.result()).isEqualTo(1.0);
        assertThat(b.result()).isZero();
    }

    @Test
    void update_rejectsBadShapesAndWeightsBeforeChangingState() {
        Metric m = Metric.binaryAccuracy();
        m.update(t(1, 2, 1, 0), t(1, 2, 0.9, 0.1));
        assertThatThrownBy(() -> m.update(t(2, 2, 1, 0, 1, 0), t(1, 2, 0.9, 0.1)))
                .hasMessageContaining("same number of samples").hasMessageContaining("yTrue (2, 2) and yPred (1, 2)");
        assertThatThrownBy(() -> m.update(t(1, 3, 1, 0, 0), t(1, 2, 0.9, 0.1)))
                .hasMessageContaining("as many values per sample");
        assertThatThrownBy(() -> m.update(t(1, 2, 1, 0), t(1, 2, 0.9, 0.1), w(1, 1)))
                .hasMessageContaining("expected sample weights of shape (1)").hasMessageContaining("got (2)");
        assertThatThrownBy(() -> m.update(t(1, 2, 1, 0), t(1, 2, 0.9, 0.1), w(-1)))
                .hasMessageContaining("finite and >= 0, got -1.0");
        assertThatThrownBy(() -> m.update(t(1, 2, 1, 0), t(1, 2, 0.9, 0.1), w(Double.NaN)))
                .hasMessageContaining("got NaN");
        assertThatThrownBy(() -> m.update(t(1, 2, 1, 0), t(1, 2, 0.9, 0.1), w(Double.POSITIVE_INFINITY)))
                .hasMessageContaining("got Infinity");
        assertThat(m.result()).isEqualTo(1.0);
        assertThatThrownBy(() -> Metric.topKCategoricalAccuracy(0)).hasMessageContaining("expected k >= 1, got 0");
        assertThatThrownBy(() -> Metric.binaryAccuracy(1.5)).hasMessageContaining("threshold in [0, 1], got 1.5");
    }

    @Test
    void accuracyConstant_cannotBeUpdatedBeforeCompileResolvesIt() {
        assertThat(Metric.ACCURACY.name()).isEqualTo("accuracy");
        assertThatThrownBy(() -> Metric.ACCURACY.update(t(1, 2, 1, 0), t(1, 2, 0.9, 0.1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("resolved by compile");
    }
}
