package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import vecgrad.autodiff.Ops;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * BatchNormalization against Keras 3 (keras/src/layers/normalization/batch_normalization.py) computed
 * in double: batch statistics and the moving-average update in training, the moving statistics in
 * inference. Gradients are checked in vecgrad.autodiff.NormalizationGradientTest.
 */
final class BatchNormalizationTest {

    private static final double MOMENTUM = 0.99;
    private static final double EPS = 1e-3;

    /** Per-feature mean and biased variance of x seen as (n, c), in double: ops.moments. */
    private static double[][] moments(Tensor x) {
        int c = x.dim(x.rank() - 1);
        int n = x.size() / c;
        double[] mean = new double[c];
        double[] var = new double[c];
        float[] d = x.data();
        for (int e = 0; e < d.length; e++) {
            mean[e % c] += d[e] / (double) n;
        }
        for (int e = 0; e < d.length; e++) {
            var[e % c] += (d[e] - mean[e % c]) * (d[e] - mean[e % c]) / n;
        }
        return new double[][] {mean, var};
    }

    /** γ ⊙ (x − mean) / √(var + ε) + β, per feature (the last axis). */
    private static double[] normalize(Tensor x, double[] mean, double[] var, Tensor gamma, Tensor beta) {
        int c = mean.length;
        double[] y = new double[x.size()];
        for (int e = 0; e < y.length; e++) {
            int j = e % c;
            y[e] = (x.data()[e] - mean[j]) / Math.sqrt(var[j] + EPS) * gamma.data()[j] + beta.data()[j];
        }
        return y;
    }

    private static void assertClose(float[] actual, double[] expected, double tolerance) {
        assertThat(actual).hasSize(expected.length);
        for (int e = 0; e < expected.length; e++) {
            assertThat((double) actual[e]).as("element %d", e).isCloseTo(expected[e], org.assertj.core.api.Assertions.within(tolerance));
        }
    }

    @Test
    void build_createsKerasWeightsInKerasOrder() {
        BatchNormalization bn = new BatchNormalization();
        Sequential model = new Sequential(4, 1L, new Dense(3), bn);
        assertThat(bn.name()).isEqualTo("batch_normalization");
        assertThat(bn.weights()).extracting(Variable::name).containsExactly("batch_normalization/gamma",
                "batch_normalization/beta", "batch_normalization/moving_mean", "batch_normalization/moving_variance");
        assertThat(bn.trainableWeights()).containsExactly(bn.gamma(), bn.beta());
        assertThat(bn.nonTrainableWeights()).containsExactly(bn.movingMean(), bn.movingVariance());
        assertThat(bn.gamma().data()).containsOnly(1f);
        assertThat(bn.beta().data()).containsOnly(0f);
        assertThat(bn.movingMean().data()).containsOnly(0f);
        assertThat(bn.movingVariance().data()).containsOnly(1f);
        assertThat(model.trainableVariables()).hasSize(4);
        assertThat(model.variables()).hasSize(6);
        assertThat(model.summary()).contains("Non-trainable params: 6");
        assertThat(bn.outputShape()).containsExactly(3);
    }

    @Test
    void call_trainingTwice_normalisesWithBatchStatisticsAndUpdatesMovingOnesAsKeras() {
        for (int[] sample : new int[][] {{4}, {3, 2, 5}}) {
            BatchNormalization bn = new BatchNormalization();
            new Sequential(sample, 1L, bn);
            Random rng = new Random(9);
            bn.gamma().assign(Tensor.randomUniform(rng, 0.5f, 1.5f, bn.gamma().shape()));
            bn.beta().assign(Tensor.randomUniform(rng, -1f, 1f, bn.beta().shape()));
            int c = sample[sample.length - 1];
            double[] movingMean = new double[c];
            double[] movingVar = new double[c];
            java.util.Arrays.fill(movingVar, 1);
            for (int step = 0; step < 2; step++) {
                int[] batchShape = new int[sample.length + 1];
                batchShape[0] = 6;
                System.arraycopy(sample, 0, batchShape, 1, sample.length);
                Tensor x = Tensor.randomNormal(rng, 2f, 3f, batchShape);
                double[][] m = moments(x);
                Tensor y = bn.call(x, true);
                assertClose(y.data(), normalize(x, m[0], m[1], bn.gamma(), bn.beta()), 1e-5);
                for (int j = 0; j < c; j++) {
                    movingMean[j] = movingMean[j] * MOMENTUM + m[0][j] * (1 - MOMENTUM);
                    movingVar[j] = movingVar[j] * MOMENTUM + m[1][j] * (1 - MOMENTUM);
                }
                assertClose(bn.movingMean().data(), movingMean, 1e-6);
                assertClose(bn.movingVariance().data(), movingVar, 1e-5);
            }
            // inference: the moving statistics, and no update
            Tensor x = Tensor.randomNormal(rng, 2f, 3f, withBatch(5, sample));
            float[] meanBefore = bn.movingMean().data().clone();
            Tensor y = bn.call(x, false);
            assertClose(y.data(), normalize(x, movingMean, movingVar, bn.gamma(), bn.beta()), 1e-5);
            assertThat(bn.movingMean().data()).isEqualTo(meanBefore);
        }
    }

    private static int[] withBatch(int batch, int[] sample) {
        int[] s = new int[sample.length + 1];
        s[0] = batch;
        System.arraycopy(sample, 0, s, 1, sample.length);
        return s;
    }

    @Test
    void fit_updatesTheMovingStatisticsAndLeavesThemOutOfTheOptimizer() {
        Tensor[] data = SequentialTest.blobs(128, 5, 4L);
        BatchNormalization bn = new BatchNormalization();
        Sequential model = new Sequential(5, 2L, new Dense(8, Activation.RELU), bn, new Dense(3, Activation.SOFTMAX));
        model.compile(new vecgrad.optim.Adam(1e-2f), Loss.categoricalCrossentropy());
        model.fit(data[0], data[1], FitOptions.defaults().epochs(2).batchSize(32).seed(3).verbose(0));
        assertThat(bn.movingMean().data()).isNotEqualTo(new float[8]);
        assertThat(model.trainableVariables()).doesNotContain(bn.movingMean(), bn.movingVariance());
        assertThat(model.predict(data[0]).data()).isEqualTo(model.predict(data[0]).data());
    }

    @Test
    void centerAndScaleOff_createOnlyTheMovingStatistics() {
        BatchNormalization bn = new BatchNormalization(0.9, 1e-5, false, false);
        new Sequential(3, 1L, bn);
        assertThat(bn.weights()).extracting(Variable::name)
                .containsExactly("batch_normalization/moving_mean", "batch_normalization/moving_variance");
        assertThat(bn.config()).containsEntry("momentum", 0.9).containsEntry("epsilon", 1e-5)
                .containsEntry("center", false).containsEntry("scale", false);
        Tensor y = bn.call(Tensor.of(new float[] {1, 2, 3, 3, 2, 1}, 2, 3), true);
        assertThat(y.data()[0]).isCloseTo((float) (-1 / Math.sqrt(1 + 1e-5)), org.assertj.core.api.Assertions.within(1e-6f));
    }

    @Test
    void config_hasKerasKeysAndDefaults() {
        assertThat(new BatchNormalization().config()).containsEntry("axis", -1).containsEntry("momentum", 0.99)
                .containsEntry("epsilon", 1e-3).containsEntry("center", true).containsEntry("scale", true);
    }

    /** A layer that sums each sample to a scalar: its output has no feature axis. */
    private static final class SumFeatures extends Layer {
        @Override
        public Tensor call(Tensor x, boolean training) {
            return Ops.sum(x, 1);
        }

        @Override
        public int[] computeOutputShape(int[] inputShape) {
            return new int[0];
        }
    }

    @Test
    void badInput_throwsNamingTheLayerAndShape() {
        assertThatThrownBy(() -> new Sequential(3, 1L, new SumFeatures(), new BatchNormalization()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BatchNormalization batch_normalization").hasMessageContaining("feature axis")
                .hasMessageContaining("(batch)");
        BatchNormalization bn = new BatchNormalization();
        new Sequential(4, 1L, bn);
        assertThatThrownBy(() -> bn.call(Tensor.zeros(2, 5), true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batch_normalization").hasMessageContaining("(batch, 4)").hasMessageContaining("(2, 5)");
        assertThatThrownBy(() -> new BatchNormalization(1.5, 1e-3, true, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("momentum in [0, 1], got 1.5");
        assertThatThrownBy(() -> new BatchNormalization(0.99, -1, true, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epsilon, got -1.0");
        assertThatThrownBy(() -> new BatchNormalization(Double.NaN, 1e-3, true, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    }
}
