package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vecgrad.autodiff.GradientCheck;
import vecgrad.tensor.Tensor;

/** Keras 3's Normalization(axis=-1): adapt's mean and population variance, the output formula, saving. */
final class NormalizationTest {

    /** (40, 3) values with different scales per feature. */
    private static Tensor data(long seed) {
        Random rng = new Random(seed);
        float[] x = new float[40 * 3];
        for (int r = 0; r < 40; r++) {
            x[r * 3] = (float) (5 + 2 * rng.nextGaussian());
            x[r * 3 + 1] = (float) (-300 + 40 * rng.nextGaussian());
            x[r * 3 + 2] = (float) (0.01 * rng.nextGaussian());
        }
        return Tensor.wrap(x, 40, 3);
    }

    /** Mean and population variance per column, in double, written out. */
    private static double[][] moments(Tensor x) {
        int n = x.rows();
        int k = x.cols();
        double[] mean = new double[k];
        double[] var = new double[k];
        for (int j = 0; j < k; j++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += x.get(i, j);
            }
            mean[j] = s / n;
            double q = 0;
            for (int i = 0; i < n; i++) {
                q += (x.get(i, j) - mean[j]) * (x.get(i, j) - mean[j]);
            }
            var[j] = q / n;
        }
        return new double[][] {mean, var};
    }

    @Test
    void adapt_learnsMeanAndPopulationVariance() {
        Tensor x = data(1);
        Normalization norm = new Normalization();
        norm.adapt(x);
        double[][] m = moments(x);
        for (int j = 0; j < 3; j++) {
            assertThat((double) norm.mean()[j]).isCloseTo(m[0][j], within(1e-6 * Math.abs(m[0][j])));
            assertThat((double) norm.variance()[j]).isCloseTo(m[1][j], within(1e-6 * m[1][j]));
        }
    }

    @Test
    void call_isKerasFormulaInDouble_beforeAndAfterBeingBuilt() {
        Tensor x = data(2);
        Normalization early = new Normalization();
        early.adapt(x);
        Sequential model = new Sequential(3, 1L, early);
        Normalization late = new Normalization();
        Sequential other = new Sequential(3, 1L, late);
        late.adapt(x);
        double[][] m = moments(x);
        Tensor y = model.call(x);
        assertThat(other.call(x).data()).isEqualTo(y.data());
        for (int i = 0; i < 40; i++) {
            for (int j = 0; j < 3; j++) {
                double expected = (x.get(i, j) - m[0][j]) / Math.max(Math.sqrt(m[1][j]), 1e-7);
                assertThat((double) y.get(i, j)).isCloseTo(expected, within(1e-5 * (1 + Math.abs(expected))));
            }
        }
        assertThat(late.weights()).extracting(v -> v.name()).containsExactly("normalization/mean",
                "normalization/variance", "normalization/count");
        assertThat(late.trainableWeights()).isEmpty();
        assertThat(late.weights().get(2).data()).containsExactly(40f);
    }

    @Test
    void kerasDocstringExamples() {
        // normalization.py: adapt on [[0,7,4],[2,9,6],[0,7,4],[2,9,6]], call on [[0,7,4]] -> [-1,-1,-1];
        // with invert, [[1,2,3]] -> [2,10,8]; given mean=3, variance=2, [[1],[2],[3]] -> [-1.4142135, -0.70710677, 0].
        Tensor adaptData = Tensor.wrap(new float[] {0, 7, 4, 2, 9, 6, 0, 7, 4, 2, 9, 6}, 4, 3);
        Normalization norm = new Normalization();
        norm.adapt(adaptData);
        Sequential m = new Sequential(3, 0L, norm);
        assertThat(m.call(Tensor.wrap(new float[] {0, 7, 4}, 1, 3)).data()).containsExactly(-1f, -1f, -1f);
        Normalization inverse = new Normalization(true);
        inverse.adapt(adaptData);
        Sequential mi = new Sequential(3, 0L, inverse);
        assertThat(mi.call(Tensor.wrap(new float[] {1, 2, 3}, 1, 3)).data()).containsExactly(2f, 10f, 8f);
        Sequential given = new Sequential(1, 0L, new Normalization(new double[] {3}, new double[] {2}, false));
        assertThat(given.call(Tensor.wrap(new float[] {1, 2, 3}, 3, 1)).data()).containsExactly(-1.4142135f, -0.70710677f, 0f);
    }

    @Test
    void constantFeature_dividesByKerasEpsilon() {
        Normalization norm = new Normalization();
        norm.adapt(Tensor.wrap(new float[] {2, 1, 2, 3}, 2, 2));
        Sequential m = new Sequential(2, 0L, norm);
        Tensor y = m.call(Tensor.wrap(new float[] {2.5f, 2f}, 1, 2));
        assertThat(y.get(0, 0)).isEqualTo((float) (0.5 / 1e-7f));
        assertThat(y.get(0, 1)).isEqualTo(0f);
    }

    @Test
    void gradient_matchesDoubleFiniteDifferences() {
        Tensor x = data(3);
        Normalization norm = new Normalization();
        norm.adapt(data(4));
        new Sequential(3, 0L, norm);
        double[] mean = new double[3];
        double[] std = new double[3];
        for (int j = 0; j < 3; j++) {
            mean[j] = norm.mean()[j];
            std[j] = Math.max(Math.sqrt(norm.variance()[j]), 1e-7);
        }
        Tensor small = Tensor.of(java.util.Arrays.copyOf(x.data(), 15), 5, 3);
        GradientCheck.check(in -> norm.call(in.get(0), true), in -> {
            double[] out = new double[in[0].length];
            for (int e = 0; e < out.length; e++) {
                out[e] = (in[0][e] - mean[e % 3]) / std[e % 3];
            }
            return out;
        }, List.of(small)).assertPassed();
    }

    @Test
    void call_beforeAdapt_isAClearError() {
        Normalization norm = new Normalization();
        Sequential m = new Sequential(3, 0L, norm);
        assertThat(norm.ready()).isFalse();
        assertThatThrownBy(() -> m.call(data(1))).isInstanceOf(IllegalStateException.class)
                .hasMessage("Normalization normalization has no mean and variance yet: call adapt(trainingData) first, or"
                        + " construct it with new Normalization(mean, variance, invert)");
    }

    @Test
    void badInput_isRefusedAtTheCall() {
        Normalization norm = new Normalization();
        new Sequential(3, 0L, norm);
        assertThatThrownBy(() -> norm.adapt(Tensor.zeros(5, 4))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Normalization normalization: built for 3 features, but adapt got data of shape (5, 4)");
        assertThatThrownBy(() -> norm.adapt(Tensor.zeros(0, 3))).hasMessageContaining("at least one sample");
        assertThatThrownBy(() -> norm.adapt(Tensor.wrap(new float[] {1, Float.NaN, 2}, 1, 3)))
                .hasMessage("Normalization.adapt: expected finite data, got NaN in row 0, feature 1");
        Normalization early = new Normalization();
        early.adapt(Tensor.zeros(2, 4));
        assertThatThrownBy(() -> new Sequential(3, 0L, early)).hasMessageContaining("adapted on data of 4 features");
        assertThatThrownBy(() -> new Normalization(new double[] {1, 2}, new double[] {1}, false))
                .hasMessage("Normalization: expected a mean and a variance of the same non-zero length, got 2 and 1");
        assertThatThrownBy(() -> new Normalization(new double[] {1}, new double[] {-1}, false))
                .hasMessage("Normalization: variance[0] must be a finite number >= 0, got -1.0");
        assertThatThrownBy(() -> new Sequential(3, 0L, new Normalization(new double[] {1, 2}, new double[] {1, 1}, false)))
                .hasMessageContaining("a mean and variance of 2 values do not fit inputs of 3 features");
        Normalization given = new Normalization(new double[] {1}, new double[] {1}, false);
        assertThatThrownBy(() -> given.adapt(Tensor.zeros(2, 1))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void saveThenLoad_keepsAdaptedStatisticsAndPredictsBitIdentically(@TempDir Path dir) throws IOException {
        Normalization norm = new Normalization();
        norm.adapt(data(5));
        Sequential model = new Sequential(3, 8L, norm, new Dense(4, Activation.TANH));
        Path file = dir.resolve("m.safetensors");
        model.save(file);
        Sequential loaded = Sequential.load(file);
        Normalization back = (Normalization) loaded.layers().get(0);
        assertThat(back.ready()).isTrue();
        assertThat(back.mean()).isEqualTo(norm.mean());
        assertThat(back.variance()).isEqualTo(norm.variance());
        assertThat(loaded.call(data(6)).data()).isEqualTo(model.call(data(6)).data());

        Sequential given = new Sequential(2, 0L, new Normalization(new double[] {1.5, -2}, new double[] {4, 0.25}, true));
        given.save(file);
        Sequential givenBack = Sequential.load(file);
        assertThat(vecgrad.io.Json.write(givenBack.layers().get(0).config()))
                .isEqualTo(vecgrad.io.Json.write(given.layers().get(0).config()))
                .isEqualTo("{\"axis\":-1,\"invert\":true,\"mean\":[1.5,-2.0],\"variance\":[4.0,0.25]}");
        assertThat(givenBack.call(Tensor.wrap(new float[] {1, 2}, 1, 2)).data()).containsExactly(3.5f, -1f);

        Sequential unadapted = new Sequential(3, 0L, new Normalization());
        unadapted.save(file);
        assertThatThrownBy(() -> Sequential.load(file).call(data(1))).isInstanceOf(IllegalStateException.class);
    }
}
