package vecgrad.autodiff;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import vecgrad.nn.BatchNormalization;
import vecgrad.nn.LayerNormalization;
import vecgrad.nn.Sequential;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * The normalisation ops and layers against Keras' formulas in double and finite differences: the
 * fused backward of {@link NormalizationOps}, and BatchNormalization (training and inference) and
 * LayerNormalization with respect to their input and weights. Here, in the autodiff test package,
 * because the checker is package-private.
 */
final class NormalizationGradientTest {

    private final GradientChecker checker = new GradientChecker(1234L);

    private static final float EPS = 1e-3f;

    /** Shapes {@code (batch, ..., c)}: a single feature, a single sample (LN), odd sizes, images. */
    private static final int[][] SHAPES = {{2, 1}, {1, 5}, {4, 3}, {7, 5}, {3, 2, 2, 4}, {2, 3, 1, 2}};

    // ---------------------------------------------------------------- references (Keras' formula)

    /*
     * Keras 3, keras/src/layers/normalization/batch_normalization.py and layer_normalization.py:
     * mean, variance = ops.moments(x, axes) (biased variance), then
     * (x − mean) · rsqrt(variance + epsilon) · gamma + beta; BN reduces over every axis but the last,
     * LN over the last axis only. Written here in double with two passes, independently of the ops.
     */

    /** {@code x} seen as {@code (n, c)}; per feature (columns) when {@code perFeature}, else per row. */
    static double[] normalizeRef(double[] x, int c, double eps, boolean perFeature, double[] gamma, double[] beta) {
        int n = x.length / c;
        double[] y = new double[x.length];
        int groups = perFeature ? c : n;
        int size = perFeature ? n : c;
        for (int q = 0; q < groups; q++) {
            double mean = 0;
            for (int k = 0; k < size; k++) {
                mean += x[at(q, k, c, perFeature)];
            }
            mean /= size;
            double var = 0;
            for (int k = 0; k < size; k++) {
                double d = x[at(q, k, c, perFeature)] - mean;
                var += d * d;
            }
            var /= size;
            for (int k = 0; k < size; k++) {
                int e = at(q, k, c, perFeature);
                y[e] = (x[e] - mean) / Math.sqrt(var + eps);
            }
        }
        return scaleShift(y, c, gamma, beta);
    }

    private static int at(int q, int k, int c, boolean perFeature) {
        return perFeature ? k * c + q : q * c + k;
    }

    private static double[] scaleShift(double[] y, int c, double[] gamma, double[] beta) {
        for (int e = 0; e < y.length; e++) {
            y[e] = y[e] * (gamma == null ? 1 : gamma[e % c]) + (beta == null ? 0 : beta[e % c]);
        }
        return y;
    }

    // ---------------------------------------------------------------- the ops

    @Test
    void standardizeFeatures_matchesFiniteDifferences() {
        for (int[] s : SHAPES) {
            int c = s[s.length - 1];
            if (Tensor.zeros(s).size() / c < 2) {
                continue;      // one sample: the output is 0 and the gradient vanishes; not informative
            }
            checker.check("standardizeFeatures " + Tensor.shapeString(s), x -> NormalizationOps.standardizeFeatures(x[0], EPS),
                    r -> normalizeRef(r[0], c, EPS, true, null, null), checker.uniform(-2, 2, s));
        }
    }

    @Test
    void standardizeSamples_matchesFiniteDifferences() {
        for (int[] s : SHAPES) {
            int c = s[s.length - 1];
            if (c < 2) {
                continue;
            }
            checker.check("standardizeSamples " + Tensor.shapeString(s), x -> NormalizationOps.standardizeSamples(x[0], EPS),
                    r -> normalizeRef(r[0], c, EPS, false, null, null), checker.uniform(-2, 2, s));
        }
    }

    @Test
    void standardize_badInput_throwsNamingTheShape() {
        assertThatThrownBy(() -> NormalizationOps.standardizeFeatures(Tensor.zeros(5), EPS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rank 2").hasMessageContaining("(5)");
        assertThatThrownBy(() -> NormalizationOps.standardizeFeatures(Tensor.zeros(0, 3), EPS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(0, 3)");
        assertThatThrownBy(() -> NormalizationOps.standardizeSamples(Tensor.zeros(2, 3), 0f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epsilon, got 0.0");
        assertThatThrownBy(() -> NormalizationOps.standardizeSamples(null, EPS))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("'x'");
    }

    // ---------------------------------------------------------------- the checker fails wrong rules

    /**
     * Batch-norm standardisation with a hand-written backward: {@code dx = r (g − [mean g] − [y mean(g y)])},
     * each bracketed term kept or dropped.
     */
    private static Tensor featuresWithRule(Tensor x, boolean meanTerm, boolean varianceTerm) {
        return Ops.custom("standardize_custom", in -> NormalizationOps.standardizeFeatures(in[0], EPS), (g, y, in) -> {
            int c = in[0].dim(in[0].rank() - 1);
            int n = in[0].size() / c;
            float[] xd = in[0].data();
            float[] gd = g.data();
            float[] yd = y.data();
            float[] dx = new float[xd.length];
            for (int j = 0; j < c; j++) {
                double mean = 0;
                double gMean = 0;
                double gyMean = 0;
                for (int i = 0; i < n; i++) {
                    mean += xd[i * c + j];
                    gMean += gd[i * c + j];
                    gyMean += (double) gd[i * c + j] * yd[i * c + j];
                }
                mean /= n;
                gMean /= n;
                gyMean /= n;
                double var = 0;
                for (int i = 0; i < n; i++) {
                    var += (xd[i * c + j] - mean) * (xd[i * c + j] - mean);
                }
                double r = 1 / Math.sqrt(var / n + EPS);
                for (int i = 0; i < n; i++) {
                    int e = i * c + j;
                    dx[e] = (float) (r * (gd[e] - (meanTerm ? gMean : 0) - (varianceTerm ? yd[e] * gyMean : 0)));
                }
            }
            return new Tensor[] {Tensor.wrap(dx, in[0].shape())};
        }, x);
    }

    private void checkFeaturesRule(boolean meanTerm, boolean varianceTerm) {
        checker.check("batch-norm standardisation with a hand-written rule", x -> featuresWithRule(x[0], meanTerm, varianceTerm),
                r -> normalizeRef(r[0], 3, EPS, true, null, null), checker.uniform(-2, 2, 6, 3));
    }

    @Test
    void check_fullBatchNormRule_passes() {
        assertThatCode(() -> checkFeaturesRule(true, true)).doesNotThrowAnyException();
    }

    @Test
    void check_batchNormRuleIgnoringTheMeansDependenceOnX_fails() {
        assertThatThrownBy(() -> checkFeaturesRule(false, true))
                .isInstanceOf(AssertionError.class).hasMessageContaining("gradient of input 0");
    }

    @Test
    void check_batchNormRuleIgnoringTheVariancesDependenceOnX_fails() {
        assertThatThrownBy(() -> checkFeaturesRule(true, false))
                .isInstanceOf(AssertionError.class).hasMessageContaining("gradient of input 0");
    }

    // ---------------------------------------------------------------- the layers

    /** Random gamma and beta (not Keras' ones and zeros, which would hide a swapped or missing factor). */
    private void randomize(Variable... weights) {
        for (Variable v : weights) {
            v.assign(checker.uniform(0.5f, 1.5f, v.shape()));
        }
    }

    private static int[] sampleShape(int[] s) {
        return java.util.Arrays.copyOfRange(s, 1, s.length);
    }

    @Test
    void batchNormalization_training_matchesKerasAndFiniteDifferences() {
        for (int[] s : SHAPES) {
            int c = s[s.length - 1];
            if (Tensor.zeros(s).size() / c < 2) {
                continue;
            }
            BatchNormalization bn = new BatchNormalization();
            new Sequential(sampleShape(s), 1L, bn);
            randomize(bn.gamma(), bn.beta());
            checker.check("BatchNormalization training " + Tensor.shapeString(s), x -> bn.call(x[0], true),
                    r -> normalizeRef(r[0], c, 1e-3, true, r[1], r[2]), checker.uniform(-2, 2, s), bn.gamma(), bn.beta());
        }
    }

    @Test
    void batchNormalization_inference_matchesKerasAndFiniteDifferences() {
        for (int[] s : SHAPES) {
            int c = s[s.length - 1];
            BatchNormalization bn = new BatchNormalization();
            new Sequential(sampleShape(s), 1L, bn);
            randomize(bn.gamma(), bn.beta());
            bn.movingMean().assign(checker.uniform(-1, 1, c));
            bn.movingVariance().assign(checker.uniform(0.2f, 3f, c));
            double[] mm = GradientChecker.toDouble(new Tensor[] {bn.movingMean()})[0];
            double[] mv = GradientChecker.toDouble(new Tensor[] {bn.movingVariance()})[0];
            checker.check("BatchNormalization inference " + Tensor.shapeString(s), x -> bn.call(x[0], false), r -> {
                double[] y = new double[r[0].length];
                for (int e = 0; e < y.length; e++) {
                    int j = e % c;
                    y[e] = (r[0][e] - mm[j]) / Math.sqrt(mv[j] + 1e-3) * r[1][j] + r[2][j];
                }
                return y;
            }, checker.uniform(-2, 2, s), bn.gamma(), bn.beta());
        }
    }

    @Test
    void layerNormalization_matchesKerasAndFiniteDifferences() {
        for (int[] s : SHAPES) {
            int c = s[s.length - 1];
            if (c < 2) {
                continue;
            }
            for (boolean training : new boolean[] {true, false}) {
                LayerNormalization ln = new LayerNormalization();
                new Sequential(sampleShape(s), 1L, ln);
                randomize(ln.gamma(), ln.beta());
                checker.check("LayerNormalization " + Tensor.shapeString(s), x -> ln.call(x[0], training),
                        r -> normalizeRef(r[0], c, 1e-3, false, r[1], r[2]), checker.uniform(-2, 2, s), ln.gamma(), ln.beta());
            }
        }
    }
}
