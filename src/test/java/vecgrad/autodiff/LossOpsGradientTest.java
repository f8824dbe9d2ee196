package vecgrad.autodiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.Test;
import vecgrad.nn.Activation;
import vecgrad.nn.Loss;
import vecgrad.tensor.Tensor;

/**
 * Every loss op of {@link LossOps}, and the automatic sigmoid path of {@link Loss#binaryCrossentropy()},
 * against finite differences of Keras 3's formula written here in double (which also checks the
 * forward value); for each family, the checker fails a deliberately wrong rule.
 *
 * <p>References: keras/src/losses/losses.py (binary_crossentropy, mean_absolute_error, huber,
 * log_cosh, kl_divergence, hinge, categorical_crossentropy: each a per-sample mean over axis -1,
 * kl_divergence a sum), keras/src/backend/numpy/nn.py (binary_crossentropy's clip and formula),
 * keras/src/losses/loss.py (reduce_weighted_values: sum_over_batch_size = Σ w·loss / m).
 */
final class LossOpsGradientTest {

    private static final double EPS = 1e-7;
    private static final boolean[] PRED_ONLY = {false, true, false};
    private static final int[][] SHAPES = {{5, 7}, {1, 1}, {3, 1}, {1, 6}, {4, 3}};

    private final GradientChecker checker = new GradientChecker(11L);

    // ---------------------------------------------------------------- Keras' formulas, in double

    /** Keras' reduction: per-sample mean (or sum) over the row of f, times w, summed, over m. */
    private static double[] keras(double[] y, double[] p, double[] w, int m, int k, boolean rowMean,
                                  DoubleBinaryOperator f) {
        double total = 0;
        for (int i = 0; i < m; i++) {
            double row = 0;
            for (int j = 0; j < k; j++) {
                row += f.applyAsDouble(y[i * k + j], p[i * k + j]);
            }
            total += w[i] * (rowMean ? row / k : row);
        }
        return new double[] {total / m};
    }

    private static double clip(double v, double lo, double hi) {
        return Math.min(Math.max(v, lo), hi);
    }

    private static double bce(double y, double p) {
        double c = clip(p, EPS, 1 - EPS);
        return -(y * Math.log(c) + (1 - y) * Math.log(1 - c));
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    private static double huber(double y, double p, double delta) {
        double e = p - y;
        return Math.abs(e) <= delta ? 0.5 * e * e : delta * Math.abs(e) - 0.5 * delta * delta;
    }

    // ---------------------------------------------------------------- inputs

    private Tensor weights(int m) {
        Tensor w = checker.uniform(0f, 2f, m);
        w.data()[0] = m > 1 ? 0f : w.data()[0];   // a zero weight drops its sample
        return w;
    }

    /** yTrue + a difference with |d| in [0.1, 1.5): away from the kinks of |e| at 0. */
    private Tensor shifted(Tensor yTrue) {
        Tensor d = checker.awayFromZero(yTrue.shape());
        Tensor p = yTrue.copy();
        for (int i = 0; i < p.size(); i++) {
            p.data()[i] += d.data()[i];
        }
        return p;
    }

    private void checkAll(String what, int[] shape, boolean rowMean, Tensor y, Tensor p, LossFn op,
                          DoubleBinaryOperator f) {
        int m = shape[0];
        int k = shape[1];
        Tensor w = weights(m);
        checker.check(what + " weighted " + y.shapeString(), x -> op.apply(x[0], x[1], x[2]),
                r -> keras(r[0], r[1], r[2], m, k, rowMean, f), PRED_ONLY, y, p, w);
        checker.check(what + " " + y.shapeString(), x -> op.apply(x[0], x[1], null),
                r -> keras(r[0], r[1], ones(m), m, k, rowMean, f), PRED_ONLY, y, p, Tensor.ones(m));
    }

    private static double[] ones(int m) {
        double[] w = new double[m];
        Arrays.fill(w, 1);
        return w;
    }

    @FunctionalInterface
    private interface LossFn {
        Tensor apply(Tensor yTrue, Tensor yPred, Tensor w);
    }

    // ---------------------------------------------------------------- finite differences and values

    @Test
    void binaryCrossentropy_matchesKerasAndFiniteDifferences() {
        for (int[] s : SHAPES) {
            Tensor y = checker.uniform(0f, 1f, s);            // soft labels
            Tensor p = checker.uniform(0.05f, 0.95f, s);      // away from the clip edges
            checkAll("binaryCrossentropy", s, true, y, p, LossOps::binaryCrossentropy, LossOpsGradientTest::bce);
        }
    }

    @Test
    void sigmoidCrossEntropyWithLogits_matchesKerasAndFiniteDifferences() {
        for (int[] s : SHAPES) {
            Tensor y = checker.uniform(0f, 1f, s);
            Tensor z = checker.uniform(-4f, 4f, s);
            // Keras' from_logits formula: the cross-entropy of sigmoid(z), exact in double for |z| <= 4
            checkAll("sigmoidCrossEntropyWithLogits", s, true, y, z, LossOps::sigmoidCrossEntropyWithLogits,
                    (yv, zv) -> -(yv * Math.log(sigmoid(zv)) + (1 - yv) * Math.log(1 - sigmoid(zv))));
        }
    }

    @Test
    void binaryCrossentropy_onALayersSigmoidOutputDifferentiatesTheLogits() {
        Loss bce = Loss.binaryCrossentropy();
        for (int[] s : SHAPES) {
            int m = s[0];
            int k = s[1];
            Tensor y = checker.uniform(0f, 1f, s);
            Tensor z = checker.uniform(-4f, 4f, s);
            Tensor w = weights(m);
            checker.check("binary_crossentropy(sigmoid(z)) " + z.shapeString(),
                    x -> bce.call(x[0], Activation.SIGMOID.apply(x[1]), x[2]),
                    r -> keras(r[0], r[1], r[2], m, k, true, (yv, zv) -> bce(yv, sigmoid(zv))), PRED_ONLY, y, z, w);
        }
    }

    @Test
    void binaryCrossentropy_onALayersSigmoidOutputIsTheFusedLogitsLoss() {
        Tensor y = Tensor.of(new float[] {0, 1, 1, 0}, 2, 2);
        Tensor z = Tensor.of(new float[] {30, -30, 0.5f, -2}, 2, 2);
        Tensor fused = LossOps.sigmoidCrossEntropyWithLogits(y, z, null);
        assertThat(Loss.binaryCrossentropy().call(y, Activation.SIGMOID.apply(z)).item()).isEqualTo(fused.item());
        // saturated: the logits path is not capped by the clip at -log(1e-7) ≈ 16.1
        double expected = (30 + 30 + Math.log1p(Math.exp(-30)) * 2 + bceLogit(1, 0.5) + bceLogit(0, -2)) / 4;
        assertThat((double) fused.item()).isCloseTo(expected, within(1e-5));
        Tensor clipped = Loss.binaryCrossentropy().call(y, ActivationOps.sigmoid(z));   // not a layer's output
        assertThat((double) clipped.item()).isLessThan(expected - 5);
    }

    private static double bceLogit(double y, double z) {
        return Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
    }

    @Test
    void meanAbsoluteError_matchesKerasAndFiniteDifferences() {
        for (int[] s : SHAPES) {
            Tensor y = checker.uniform(-1f, 1f, s);
            checkAll("meanAbsoluteError", s, true, y, shifted(y), LossOps::meanAbsoluteError,
                    (yv, pv) -> Math.abs(pv - yv));
        }
    }

    @Test
    void huber_bothBranchesMatchKerasAndFiniteDifferences() {
        for (float delta : new float[] {1f, 0.5f}) {
            for (int[] s : SHAPES) {
                Tensor y = checker.uniform(-1f, 1f, s);
                Tensor p = shifted(y);
                checkAll("huber delta " + delta, s, true, y, p, (a, b, w) -> LossOps.huber(a, b, delta, w),
                        (yv, pv) -> huber(yv, pv, delta));
            }
        }
        // the 5x7 case above has errors on both sides of delta = 1 and of 0.5; make sure of it
        Tensor y = Tensor.zeros(1, 2);
        Tensor p = Tensor.of(new float[] {0.25f, -3f}, 1, 2);
        assertThat((double) LossOps.huber(y, p, 1f, null).item())
                .isCloseTo((0.5 * 0.0625 + (3 - 0.5)) / 2, within(1e-7));
    }

    @Test
    void logCosh_matchesKerasAndFiniteDifferencesAndStaysFiniteForLargeErrors() {
        for (int[] s : SHAPES) {
            Tensor y = checker.uniform(-1f, 1f, s);
            Tensor p = checker.uniform(-3f, 3f, s);
            checkAll("logCosh", s, true, y, p, LossOps::logCosh, (yv, pv) -> Math.log(Math.cosh(pv - yv)));
        }
        // cosh(1000) overflows a double; log cosh(e) ≈ |e| − log 2
        Tensor big = LossOps.logCosh(Tensor.zeros(1, 2), Tensor.of(new float[] {1000, -1000}, 1, 2), null);
        assertThat((double) big.item()).isCloseTo(1000 - Math.log(2), within(1e-3));
    }

    @Test
    void klDivergence_matchesKerasAndFiniteDifferences() {
        for (int[] s : SHAPES) {
            // in (0, 1) away from the clip edges (a normalised (m,1) row would be exactly 1, on the edge)
            Tensor y = checker.uniform(0.02f, 0.98f, s);
            Tensor p = checker.uniform(0.02f, 0.98f, s);
            checkAll("klDivergence", s, false, y, p, LossOps::klDivergence,
                    (yv, pv) -> clip(yv, EPS, 1) * Math.log(clip(yv, EPS, 1) / clip(pv, EPS, 1)));
        }
    }

    @Test
    void hinge_matchesKerasAndFiniteDifferencesForPlusMinusOneAndZeroOneLabels() {
        for (int[] s : SHAPES) {
            for (boolean zeroOne : new boolean[] {false, true}) {
                Tensor y = Tensor.zeros(s);
                Tensor p = checker.uniform(-2f, 2f, s);
                for (int i = 0; i < y.size(); i++) {
                    float t = checker.nextInt(2) == 0 ? -1f : 1f;
                    y.data()[i] = zeroOne ? (t + 1) / 2 : t;
                    if (Math.abs(1 - t * p.data()[i]) < 0.05f) {
                        p.data()[i] += 0.2f;                    // away from the kink
                    }
                }
                checkAll("hinge " + (zeroOne ? "0/1" : "-1/1"), s, true, y, p, LossOps::hinge,
                        (yv, pv) -> Math.max(1 - (zeroOne ? 2 * yv - 1 : yv) * pv, 0));
            }
        }
    }

    @Test
    void weightedCrossEntropies_matchKerasAndFiniteDifferences() {
        // at least two classes: with one, the loss is 0 everywhere and only rounding noise is left to compare
        for (int[] s : new int[][] {{5, 7}, {1, 2}, {4, 3}, {6, 10}}) {
            int m = s[0];
            int n = s[1];
            Tensor y = checker.oneHot(m, n);
            Tensor z = checker.uniform(-2f, 2f, s);
            Tensor w = weights(m);
            checker.check("softmaxCrossEntropyWithLogits weighted " + z.shapeString(),
                    x -> LossOps.softmaxCrossEntropyWithLogits(x[0], x[1], x[2]),
                    r -> weightedLogitsCrossEntropy(r[0], r[1], r[2], m, n), PRED_ONLY, y, z, w);
            Tensor p = checker.probabilities(m, n);
            checker.check("categoricalCrossentropy weighted " + p.shapeString(),
                    x -> LossOps.categoricalCrossentropy(x[0], x[1], x[2]),
                    r -> weightedCrossEntropy(r[0], normalised(r[1], m, n), r[2], m, n), PRED_ONLY, y, p, w);
        }
    }

    /** Keras' categorical_crossentropy: Σ_j −y log clip(q), per sample, weighted, over m. */
    private static double[] weightedCrossEntropy(double[] y, double[] q, double[] w, int m, int n) {
        double total = 0;
        for (int i = 0; i < m; i++) {
            double row = 0;
            for (int j = 0; j < n; j++) {
                row -= y[i * n + j] * Math.log(clip(q[i * n + j], EPS, 1 - EPS));
            }
            total += w[i] * row;
        }
        return new double[] {total / m};
    }

    /** Keras' from_logits path: Σ_j −y log_softmax(z), unclipped, per sample, weighted, over m. */
    private static double[] weightedLogitsCrossEntropy(double[] y, double[] z, double[] w, int m, int n) {
        double total = 0;
        for (int i = 0; i < m; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += Math.exp(z[i * n + j]);
            }
            double row = 0;
            for (int j = 0; j < n; j++) {
                row -= y[i * n + j] * (z[i * n + j] - Math.log(s));
            }
            total += w[i] * row;
        }
        return new double[] {total / m};
    }

    private static double[] normalised(double[] p, int m, int n) {
        double[] q = new double[p.length];
        for (int i = 0; i < m; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += p[i * n + j];
            }
            for (int j = 0; j < n; j++) {
                q[i * n + j] = p[i * n + j] / s;
            }
        }
        return q;
    }

    // ---------------------------------------------------------------- weights of 1 change no bit

    @Test
    void weightedCrossEntropies_withUnitWeightsAreBitIdenticalToUnweighted() {
        Tensor y = checker.oneHot(5, 7);
        Tensor z = checker.uniform(-3f, 3f, 5, 7);
        Tensor p = checker.probabilities(5, 7);
        Tensor ones = Tensor.ones(5);
        try (GradientTape tape = GradientTape.persistent()) {
            tape.watch(z, p);
            Tensor a = LossOps.softmaxCrossEntropyWithLogits(y, z);
            Tensor b = LossOps.softmaxCrossEntropyWithLogits(y, z, ones);
            Tensor c = LossOps.categoricalCrossentropy(y, p);
            Tensor d = LossOps.categoricalCrossentropy(y, p, ones);
            assertThat(b.item()).isEqualTo(a.item());
            assertThat(d.item()).isEqualTo(c.item());
            assertThat(tape.gradient(b, z).data()).isEqualTo(tape.gradient(a, z).data());
            assertThat(tape.gradient(d, p).data()).isEqualTo(tape.gradient(c, p).data());
        }
    }

    // ---------------------------------------------------------------- the checker fails wrong rules

    /** The op's real forward with a hand-written rule {@code dyPred[j] = rule(y, p, row weight) · g}. */
    private static Tensor withRule(Tensor y, Tensor p, Tensor w, LossFn forward, ElementRule rule) {
        return Ops.custom("loss_custom", in -> forward.apply(in[0], in[1], in[2]), (g, out, in) -> {
            int k = in[1].cols();
            Tensor d = Tensor.zeros(in[1].shape());
            for (int e = 0; e < d.size(); e++) {
                d.data()[e] = (float) (g.item() * rule.apply(in[0].data()[e], in[1].data()[e], in[2].data()[e / k],
                        in[1].rows(), k));
            }
            return new Tensor[] {null, d, null};
        }, y, p, w);
    }

    @FunctionalInterface
    private interface ElementRule {
        double apply(double y, double p, double w, int m, int k);
    }

    private void checkRule(String what, LossFn forward, DoubleBinaryOperator f, boolean rowMean, Tensor y, Tensor p,
                           ElementRule rule) {
        int m = p.rows();
        int k = p.cols();
        Tensor w = Tensor.of(new float[] {0.5f, 2f, 1f, 0.25f, 1.5f}, 5);
        checker.check(what, x -> withRule(x[0], x[1], x[2], forward, rule),
                r -> keras(r[0], r[1], r[2], m, k, rowMean, f), PRED_ONLY, y, p, w);
    }

    @Test
    void checker_failsWrongCrossEntropyRules() {
        Tensor y = checker.uniform(0f, 1f, 5, 7);
        Tensor z = checker.uniform(-4f, 4f, 5, 7);
        DoubleBinaryOperator f = LossOpsGradientTest::bceLogit;
        // the right rule passes, so the failures below are the rules' fault
        assertThatCode(() -> checkRule("right", LossOps::sigmoidCrossEntropyWithLogits, f, true, y, z,
                (yv, zv, w, m, k) -> (sigmoid(zv) - yv) * w / (m * k))).doesNotThrowAnyException();
        // the per-sample mean over the k outputs forgotten
        assertThatThrownBy(() -> checkRule("no 1/k", LossOps::sigmoidCrossEntropyWithLogits, f, true, y, z,
                (yv, zv, w, m, k) -> (sigmoid(zv) - yv) * w / m)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("gradient of input 1");
        // the weights forgotten
        assertThatThrownBy(() -> checkRule("no w", LossOps::sigmoidCrossEntropyWithLogits, f, true, y, z,
                (yv, zv, w, m, k) -> (sigmoid(zv) - yv) / (m * k))).isInstanceOf(AssertionError.class);
        // divided by Σw instead of m (Keras' sum_over_batch_size divides by the batch size)
        assertThatThrownBy(() -> checkRule("over Σw", LossOps::sigmoidCrossEntropyWithLogits, f, true, y, z,
                (yv, zv, w, m, k) -> (sigmoid(zv) - yv) * w / (5.25 * k))).isInstanceOf(AssertionError.class);
    }

    @Test
    void checker_failsWrongRegressionRules() {
        Tensor y = checker.uniform(-1f, 1f, 5, 7);
        Tensor p = shifted(y);
        DoubleBinaryOperator f = (yv, pv) -> huber(yv, pv, 1);
        LossFn op = (a, b, w) -> LossOps.huber(a, b, 1f, w);
        assertThatCode(() -> checkRule("right", op, f, true, y, p,
                (yv, pv, w, m, k) -> (Math.abs(pv - yv) <= 1 ? pv - yv : Math.signum(pv - yv)) * w / (m * k)))
                .doesNotThrowAnyException();
        // the linear branch's gradient not clipped to ±delta
        assertThatThrownBy(() -> checkRule("unclipped", op, f, true, y, p,
                (yv, pv, w, m, k) -> (pv - yv) * w / (m * k))).isInstanceOf(AssertionError.class);
        // log-cosh with the derivative of cosh instead of log cosh
        assertThatThrownBy(() -> checkRule("sinh", LossOps::logCosh, (yv, pv) -> Math.log(Math.cosh(pv - yv)), true, y,
                p, (yv, pv, w, m, k) -> Math.sinh(pv - yv) * w / (m * k))).isInstanceOf(AssertionError.class);
        // MAE with the sign turned round
        assertThatThrownBy(() -> checkRule("sign", LossOps::meanAbsoluteError, (yv, pv) -> Math.abs(pv - yv), true, y,
                p, (yv, pv, w, m, k) -> Math.signum(yv - pv) * w / (m * k))).isInstanceOf(AssertionError.class);
    }

    @Test
    void checker_failsWrongKlDivergenceRule() {
        Tensor y = checker.probabilities(5, 7);
        Tensor p = checker.probabilities(5, 7);
        DoubleBinaryOperator f = (yv, pv) -> yv * Math.log(yv / pv);
        assertThatCode(() -> checkRule("right", LossOps::klDivergence, f, false, y, p,
                (yv, pv, w, m, k) -> -yv / pv * w / m)).doesNotThrowAnyException();
        // averaged over the outputs as the other losses, where Keras sums them
        assertThatThrownBy(() -> checkRule("mean", LossOps::klDivergence, f, false, y, p,
                (yv, pv, w, m, k) -> -yv / pv * w / (m * k))).isInstanceOf(AssertionError.class);
    }

    @Test
    void checker_failsWrongHingeRule() {
        Tensor y = Tensor.zeros(5, 7);
        Tensor p = checker.uniform(-0.9f, 0.9f, 5, 7);        // every margin active: 1 − y·p > 0.1
        for (int i = 0; i < y.size(); i++) {
            y.data()[i] = checker.nextInt(2);
        }
        DoubleBinaryOperator f = (yv, pv) -> Math.max(1 - (2 * yv - 1) * pv, 0);
        assertThatCode(() -> checkRule("right", LossOps::hinge, f, true, y, p,
                (yv, pv, w, m, k) -> -(2 * yv - 1) * w / (m * k))).doesNotThrowAnyException();
        // 0/1 labels used as they are: no gradient for the 0 labels
        assertThatThrownBy(() -> checkRule("unconverted", LossOps::hinge, f, true, y, p,
                (yv, pv, w, m, k) -> -yv * w / (m * k))).isInstanceOf(AssertionError.class);
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void lossOps_rejectBadShapesAndWeights() {
        Tensor y = Tensor.zeros(3, 2);
        Tensor p = Tensor.filled(0.5f, 3, 2);
        assertThatThrownBy(() -> LossOps.binaryCrossentropy(Tensor.zeros(2, 3), p, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(3, 2)").hasMessageContaining("(2, 3)");
        assertThatThrownBy(() -> LossOps.meanAbsoluteError(y, p, Tensor.ones(4)))
                .hasMessageContaining("(3) or (3, 1)").hasMessageContaining("(4)");
        assertThatThrownBy(() -> LossOps.hinge(y, p, Tensor.of(new float[] {1, -1, 1}, 3)))
                .hasMessageContaining("-1.0 at row 1");
        assertThatThrownBy(() -> LossOps.logCosh(y, p, Tensor.of(new float[] {1, 1, Float.NaN}, 3)))
                .hasMessageContaining("NaN at row 2");
        assertThatThrownBy(() -> LossOps.huber(y, p, 0f, null)).hasMessageContaining("delta > 0, got 0.0");
        assertThatThrownBy(() -> LossOps.klDivergence(Tensor.zeros(6), Tensor.zeros(6), null))
                .hasMessageContaining("(batch, outputs)").hasMessageContaining("(6)");
    }

    @Test
    void lossOps_giveNoGradientToTargetsOrWeights() {
        Tensor y = checker.uniform(0f, 1f, 3, 2);
        Tensor p = checker.uniform(0.1f, 0.9f, 3, 2);
        Tensor w = Tensor.ones(3);
        try (GradientTape tape = new GradientTape()) {
            tape.watch(y, p, w);
            List<Tensor> g = tape.gradient(LossOps.binaryCrossentropy(y, p, w), List.of(y, p, w));
            assertThat(g.get(0)).isNull();
            assertThat(g.get(1)).isNotNull();
            assertThat(g.get(2)).isNull();
        }
    }
}
