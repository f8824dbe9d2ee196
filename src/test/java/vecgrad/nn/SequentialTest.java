package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import vecgrad.optim.Adam;
import vecgrad.optim.SGD;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

final class SequentialTest {

    static Sequential reportNetwork(long seed) {
        return new Sequential(784, seed,
                new Dense(256, Activation.RELU),
                new Dense(128, Activation.RELU),
                new Dense(64, Activation.RELU),
                new Dense(10, Activation.SOFTMAX));
    }

    /** A small separable problem: the class is the index of the largest of the first 3 features. */
    static Tensor[] blobs(int n, int features, long seed) {
        Random rng = new Random(seed);
        Tensor x = Tensor.randomNormal(rng, 0, 1, n, features);
        Tensor y = Tensor.zeros(n, 3);
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < 3; j++) {
                if (x.get(i, j) > x.get(i, best)) {
                    best = j;
                }
            }
            y.set(1f, i, best);
        }
        return new Tensor[] {x, y};
    }

    static Sequential small(long seed) {
        return new Sequential(5, seed, new Dense(16, Activation.RELU), new Dense(3, Activation.SOFTMAX));
    }

    @Test
    void summary_countsTheReportNetworksParameters() {
        // 784·256+256 = 200,960; 256·128+128 = 32,896; 128·64+64 = 8,256; 64·10+10 = 650
        String s = reportNetwork(1).summary();
        assertThat(s).contains("dense (Dense)", "dense_3 (Dense)", "(None, 256)", "200,960", "32,896", "8,256", "650",
                "Total params: 242,762", "Trainable params: 242,762", "Non-trainable params: 0");
    }

    @Test
    void constructor_namesLayersAndWeightsAsKerasAndUsesKerasInitializers() {
        Sequential m = reportNetwork(3);
        assertThat(m.layers()).extracting(Layer::name).containsExactly("dense", "dense_1", "dense_2", "dense_3");
        assertThat(m.trainableVariables()).extracting(Variable::name).containsExactly("dense/kernel", "dense/bias",
                "dense_1/kernel", "dense_1/bias", "dense_2/kernel", "dense_2/bias", "dense_3/kernel", "dense_3/bias");
        double limit = Math.sqrt(6.0 / (784 + 256));
        for (float w : m.trainableVariables().get(0).data()) {
            assertThat((double) w).isBetween(-limit, limit);
        }
        assertThat(m.trainableVariables().get(1).data()).containsOnly(0f);
    }

    @Test
    void constructor_sameSeedSameWeightsOtherSeedOtherWeights() {
        assertThat(reportNetwork(5).trainableVariables().get(2).contentEquals(reportNetwork(5).trainableVariables().get(2)))
                .isTrue();
        assertThat(reportNetwork(5).trainableVariables().get(2).contentEquals(reportNetwork(6).trainableVariables().get(2)))
                .isFalse();
    }

    @Test
    void constructor_rejectsBadArguments() {
        assertThatThrownBy(() -> new Sequential(0, new Dense(3, Activation.RELU))).hasMessageContaining("inputs must be >= 1, got 0");
        assertThatThrownBy(() -> new Sequential(3)).hasMessageContaining("at least one layer");
        assertThatThrownBy(() -> new Dense(0, Activation.RELU)).hasMessageContaining("units must be >= 1, got 0");
        Dense shared = new Dense(3, Activation.RELU);
        new Sequential(4, shared);
        assertThatThrownBy(() -> new Sequential(4, shared)).hasMessageContaining("already belongs to a model");
    }

    @Test
    void fit_learnsASeparableProblem() {
        Tensor[] d = blobs(600, 5, 1);
        Sequential m = small(2);
        m.compile(new Adam(0.01f), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        History h = m.fit(d[0], d[1], FitOptions.defaults().epochs(15).batchSize(32).verbose(0));
        assertThat(h.epochs()).hasSize(15);
        assertThat(h.last().accuracy()).isGreaterThan(0.9);
        assertThat(h.get("loss")[14]).isLessThan(h.get("loss")[0]);
        Tensor[] t = blobs(300, 5, 99);
        assertThat(m.evaluate(t[0], t[1]).accuracy()).isGreaterThan(0.85);
    }

    @Test
    void fit_validationSplitHoldsOutTheLastSamples() {
        Tensor[] d = blobs(200, 5, 3);
        Sequential m = small(4);
        m.compile(new SGD(0.05f), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        History h = m.fit(d[0], d[1], FitOptions.defaults().epochs(2).batchSize(16).validationSplit(0.25).verbose(0));
        // floor(200 · 0.75) = 150: validation is rows 150..199, evaluated with the final weights.
        Tensor lastX = Tensor.of(java.util.Arrays.copyOfRange(d[0].data(), 150 * 5, 200 * 5), 50, 5);
        Tensor lastY = Tensor.of(java.util.Arrays.copyOfRange(d[1].data(), 150 * 3, 200 * 3), 50, 3);
        Tensor firstX = Tensor.of(java.util.Arrays.copyOfRange(d[0].data(), 0, 50 * 5), 50, 5);
        Tensor firstY = Tensor.of(java.util.Arrays.copyOfRange(d[1].data(), 0, 50 * 3), 50, 3);
        assertThat(h.last().valLoss()).isEqualTo(m.evaluate(lastX, lastY).loss());
        assertThat(h.last().valLoss()).isNotEqualTo(m.evaluate(firstX, firstY).loss());
    }

    @Test
    void fit_sameSeedGivesBitIdenticalWeightsAndOtherShuffleSeedDoesNot() {
        Tensor[] d = blobs(300, 5, 7);
        float[][] w = new float[3][];
        long[] shuffleSeeds = {11, 11, 12};
        for (int r = 0; r < 3; r++) {
            Sequential m = small(8);
            m.compile(new Adam(), Loss.categoricalCrossentropy(), Metric.ACCURACY);
            m.fit(d[0], d[1], FitOptions.defaults().epochs(2).batchSize(20).seed(shuffleSeeds[r]).verbose(0));
            w[r] = m.trainableVariables().get(0).data().clone();
        }
        assertThat(w[1]).isEqualTo(w[0]);
        assertThat(w[2]).isNotEqualTo(w[0]);
    }

    @Test
    void fit_sparseLabelsTrainLikeOneHot() {
        Tensor[] d = blobs(120, 5, 21);
        float[] labels = new float[120];
        for (int i = 0; i < 120; i++) {
            labels[i] = d[1].get(i, 1) == 1f ? 1 : d[1].get(i, 2) == 1f ? 2 : 0;
        }
        Sequential dense = small(5);
        dense.compile(new Adam(), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        dense.fit(d[0], d[1], FitOptions.defaults().epochs(2).batchSize(10).verbose(0));
        Sequential sparse = small(5);
        sparse.compile(new Adam(), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        sparse.fit(d[0], Tensor.of(labels, 120), FitOptions.defaults().epochs(2).batchSize(10).verbose(0));
        assertThat(sparse.trainableVariables().get(0).data()).isEqualTo(dense.trainableVariables().get(0).data());
    }

    @Test
    void fit_rejectsBadInputBeforeTraining() {
        Sequential m = small(1);
        Tensor[] d = blobs(10, 5, 1);
        assertThatThrownBy(() -> m.fit(d[0], d[1], FitOptions.defaults()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("compile");
        m.compile(new Adam(), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        float[] before = m.trainableVariables().get(0).data().clone();
        assertThatThrownBy(() -> m.fit(d[0], Tensor.zeros(9, 3), FitOptions.defaults()))
                .hasMessageContaining("same number of rows").hasMessageContaining("(10, 5)").hasMessageContaining("(9, 3)");
        assertThatThrownBy(() -> m.fit(Tensor.zeros(10, 4), d[1], FitOptions.defaults()))
                .hasMessageContaining("(samples, 5)").hasMessageContaining("(10, 4)");
        assertThatThrownBy(() -> m.fit(d[0], Tensor.zeros(10, 4), FitOptions.defaults()))
                .hasMessageContaining("(10, 3)").hasMessageContaining("(10, 4)");
        assertThatThrownBy(() -> m.fit(d[0], d[1], FitOptions.defaults().validationSplit(0.95)))
                .hasMessageContaining("cannot be split");
        assertThatThrownBy(() -> FitOptions.defaults().batchSize(0)).hasMessageContaining("batchSize must be >= 1, got 0");
        assertThatThrownBy(() -> FitOptions.defaults().validationSplit(1.0)).hasMessageContaining("[0, 1)");
        assertThatThrownBy(() -> FitOptions.defaults().epochs(0)).hasMessageContaining("epochs must be >= 1");
        Sequential sparse = small(1);
        sparse.compile(new Adam(), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        assertThatThrownBy(() -> sparse.fit(d[0], Tensor.filled(3f, 10), FitOptions.defaults()))
                .hasMessageContaining("label 3.0 at row 0 is not a class index in [0, 3)");
        assertThatThrownBy(() -> sparse.fit(d[0], Tensor.filled(0.5f, 10), FitOptions.defaults()))
                .hasMessageContaining("label 0.5");
        assertThat(m.trainableVariables().get(0).data()).isEqualTo(before);
    }

    @Test
    void fit_printsOneLinePerEpochWhenNotATerminalAndNothingWhenSilent() {
        Tensor[] d = blobs(100, 5, 1);
        Sequential m = small(1);
        m.compile(new Adam(), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        m.fit(d[0], d[1], FitOptions.defaults().epochs(2).batchSize(25).validationSplit(0.2).output(out));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(4);
        assertThat(lines[0]).isEqualTo("Epoch 1/2");
        assertThat(lines[1]).startsWith("4/4 - ").contains("accuracy: ", "loss: ", "val_accuracy: ", "val_loss: ");
        ByteArrayOutputStream silent = new ByteArrayOutputStream();
        m.fit(d[0], d[1], FitOptions.defaults().verbose(0).output(new PrintStream(silent)));
        assertThat(silent.size()).isZero();
    }

    @Test
    void predict_matchesCallRowByRowAndEvaluateMatchesTheLoss() {
        Tensor[] d = blobs(70, 5, 2);
        Sequential m = small(3);
        m.compile(new Adam(), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        Tensor p = m.predict(d[0]);
        assertThat(p.contentEquals(m.call(d[0]))).isTrue();
        double expected = 0;
        int correct = 0;
        for (int i = 0; i < 70; i++) {
            int label = 0;
            int arg = 0;
            for (int j = 0; j < 3; j++) {
                if (d[1].get(i, j) == 1f) {
                    label = j;
                }
                if (p.get(i, j) > p.get(i, arg)) {
                    arg = j;
                }
            }
            expected -= Math.log(p.get(i, label));
            correct += arg == label ? 1 : 0;
        }
        Evaluation e = m.evaluate(d[0], d[1]);
        assertThat(e.loss()).isCloseTo(expected / 70, org.assertj.core.api.Assertions.within(1e-5));
        assertThat(e.accuracy()).isEqualTo(correct / 70.0);
        assertThat(e.samples()).isEqualTo(70);
        assertThatThrownBy(() -> m.predict(Tensor.zeros(2, 4))).hasMessageContaining("(samples, 5)");
    }

    @Test
    void setWeights_checksEveryShapeBeforeWriting() {
        Sequential m = small(1);
        List<Tensor> w = m.getWeights();
        w.get(0).data()[0] = 42f;
        w.set(3, Tensor.zeros(4));
        assertThatThrownBy(() -> m.setWeights(w)).hasMessageContaining("dense_1/bias").hasMessageContaining("(3)")
                .hasMessageContaining("(4)");
        assertThat(m.trainableVariables().get(0).data()[0]).isNotEqualTo(42f);
        assertThatThrownBy(() -> m.setWeights(List.of())).hasMessageContaining("expected 4 tensors, got 0");
    }
}
