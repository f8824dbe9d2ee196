package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vecgrad.autodiff.GradientCheck;
import vecgrad.autodiff.GradientTape;
import vecgrad.autodiff.Ops;
import vecgrad.data.Batches;
import vecgrad.kernel.Parallel;
import vecgrad.optim.Adam;
import vecgrad.optim.Optimizer;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/** Keras' L1, L2 and L1L2 penalties, their gradients, and how fit, a custom loop and a saved model use them. */
final class RegularizerTest {

    /** A (5, 4) weight with values from -2 to 2, none within 0.05 of 0 (L1's kink). */
    private static Tensor weight() {
        Random rng = new Random(3);
        float[] w = new float[20];
        for (int i = 0; i < w.length; i++) {
            double v = 0.05 + rng.nextDouble() * 1.95;
            w[i] = (float) (rng.nextBoolean() ? v : -v);
        }
        return Tensor.wrap(w, 5, 4);
    }

    /** Keras' formula, in double: l1 · Σ|w| + l2 · Σ w². */
    private static double keras(Tensor w, double l1, double l2) {
        double abs = 0;
        double squares = 0;
        for (float v : w.data()) {
            abs += Math.abs((double) v);
            squares += (double) v * v;
        }
        return l1 * abs + l2 * squares;
    }

    @Test
    void penalty_isKerasFormula() {
        Tensor w = weight();
        assertThat((double) Regularizer.l2(0.3).penalty(w).item()).isCloseTo(keras(w, 0, 0.3), within(1e-6 * keras(w, 0, 0.3)));
        assertThat((double) Regularizer.l1(0.07).penalty(w).item()).isCloseTo(keras(w, 0.07, 0), within(1e-6 * keras(w, 0.07, 0)));
        assertThat((double) Regularizer.l1l2(0.02, 0.5).penalty(w).item())
                .isCloseTo(keras(w, 0.02, 0.5), within(1e-6 * keras(w, 0.02, 0.5)));
        assertThat(Regularizer.l1l2(0.02, 0.5).penalty(w).shape()).isEmpty();
    }

    @Test
    void defaults_areKeras() {
        Tensor w = weight();
        assertThat((double) Regularizer.l2().penalty(w).item()).isCloseTo(keras(w, 0, 0.01), within(1e-8));
        assertThat((double) Regularizer.l1().penalty(w).item()).isCloseTo(keras(w, 0.01, 0), within(1e-8));
        assertThat(Regularizer.l1l2().penalty(w).item()).isEqualTo(0f);
        assertThat(Regularizer.l1l2().config()).isEqualTo(Map.of("l1", 0.0, "l2", 0.0));
        assertThat(Regularizer.l2().config()).isEqualTo(Map.of("l2", 0.01));
        assertThat(Regularizer.l1().config()).isEqualTo(Map.of("l1", 0.01));
    }

    @Test
    void penalty_matchesKerasDocstringExamples() {
        // regularizers.py: L2(2.) on ones((5, 5)) is 50.0; Dense(5, kernel_initializer='ones',
        // kernel_regularizer=L1(0.01)) has a kernel penalty of 0.25.
        Tensor ones = Tensor.wrap(filled(25, 1f), 5, 5);
        assertThat(Regularizer.l2(2.0).penalty(ones).item()).isEqualTo(50f);
        assertThat(Regularizer.l1(0.01).penalty(ones).item()).isEqualTo(0.25f);
    }

    @Test
    void gradient_matchesDoubleFiniteDifferencesOfKerasFormula() {
        for (double[] f : new double[][] {{0, 0.3}, {0.07, 0}, {0.02, 0.5}}) {
            Regularizer r = Regularizer.l1l2(f[0], f[1]);
            GradientCheck.check(in -> r.penalty(in.get(0)), x -> new double[] {l1l2(x[0], f[0], f[1])},
                    List.of(weight())).assertPassed();
        }
    }

    private static double l1l2(double[] w, double l1, double l2) {
        double abs = 0;
        double squares = 0;
        for (double v : w) {
            abs += Math.abs(v);
            squares += v * v;
        }
        return (float) l1 * abs + (float) l2 * squares;
    }

    @Test
    void l1Gradient_atZeroIsZero() {
        Variable w = Variable.of("w", Tensor.wrap(new float[] {0f, -0f, 2f, -3f}, 4), true);
        try (GradientTape tape = new GradientTape()) {
            Tensor g = tape.gradient(Regularizer.l1(0.5).penalty(w), w);
            assertThat(g.data()).containsExactly(0f, 0f, 0.5f, -0.5f);
        }
    }

    @Test
    void factors_badOnesAreRefusedWithTheirName() {
        assertThatThrownBy(() -> Regularizer.l2(-1)).hasMessage("L2: l2 must be a finite number >= 0, got -1.0");
        assertThatThrownBy(() -> Regularizer.l1(Double.NaN)).hasMessage("L1: l1 must be a finite number >= 0, got NaN");
        assertThatThrownBy(() -> Regularizer.l1l2(0, Double.POSITIVE_INFINITY))
                .hasMessage("L1L2: l2 must be a finite number >= 0, got Infinity");
        assertThatThrownBy(() -> Regularizer.fromConfig("L3", Map.of()))
                .hasMessageContaining("expected a regularizer of class L1, L2 or L1L2, got 'L3'");
        assertThatThrownBy(() -> Regularizer.fromConfig("L2", Map.of("l2", "big")))
                .hasMessage("L2: expected 'l2' to be a number, got \"big\"");
        assertThatThrownBy(() -> Regularizer.fromConfig("L2", Map.of("l1", 0.1)))
                .hasMessageContaining("unknown key 'l1'");
    }

    @Test
    void fromConfig_rebuildsEachBuiltIn() {
        for (Regularizer r : List.of(Regularizer.l1(0.3), Regularizer.l2(0.002), Regularizer.l1l2(0.1, 0.2))) {
            assertThat(Regularizer.fromConfig(r.className(), r.config())).isEqualTo(r);
        }
    }

    // ---------------------------------------------------------------- in a model

    private static Sequential regularized(long seed) {
        return new Sequential(5, seed,
                new Dense(16, Activation.RELU, Initializer.glorotUniform(), Initializer.zeros(), Regularizer.l2(0.01),
                        Regularizer.l1(0.005)),
                new Dense(8, Activation.TANH),
                new Dense(3, Activation.SOFTMAX, Regularizer.l1l2(0.001, 0.02)));
    }

    @Test
    void losses_onePenaltyPerRegularizedTrainableWeightInOrder() {
        Sequential model = regularized(1);
        List<Variable> v = model.trainableVariables();
        // bias of layer 1 is zero at first: give every weight values first
        v.get(1).assign(Tensor.wrap(new float[] {0.5f, -0.25f, 1f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0.125f}, 16));
        List<Tensor> losses = model.losses();
        assertThat(losses).hasSize(3);
        assertThat((double) losses.get(0).item()).isCloseTo(keras(v.get(0), 0, 0.01), within(1e-7));
        assertThat((double) losses.get(1).item()).isCloseTo(0.005 * (0.5 + 0.25 + 1 + 0.125), within(1e-9));
        assertThat((double) losses.get(2).item()).isCloseTo(keras(v.get(4), 0.001, 0.02), within(1e-7));
        assertThat(SequentialTest.small(1).losses()).isEmpty();
    }

    @Test
    void losses_insideATape_addTheirGradientToTheWeights() {
        Sequential model = regularized(2);
        Variable kernel = model.trainableVariables().get(0);
        Tensor[] d = SequentialTest.blobs(20, 5, 4);
        Tensor plain;
        Tensor total;
        try (GradientTape tape = GradientTape.persistent()) {
            Tensor loss = Loss.categoricalCrossentropy().call(d[1], model.call(d[0], true));
            Tensor withPenalties = Sequential.plusPenalties(loss, model.losses());
            plain = tape.gradient(loss, kernel);
            total = tape.gradient(withPenalties, kernel);
        }
        // d(0.01 Σ w²)/dw = 0.02 w
        for (int i = 0; i < kernel.size(); i++) {
            assertThat((double) total.data()[i]).isCloseTo(plain.data()[i] + 0.02 * kernel.data()[i], within(1e-6));
        }
    }

    /** fit with regularizers, on {@code threads} kernel threads: its weights and its History loss. */
    private static Object[] fit(int threads, Tensor[] d) {
        int saved = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            Sequential model = regularized(7);
            model.compile(new Adam(0.01f), Loss.categoricalCrossentropy());
            History h = model.fit(d[0], d[1], FitOptions.defaults().epochs(3).batchSize(16).seed(5).verbose(0));
            return new Object[] {model, h};
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void fitAndCustomTapeLoop_areBitIdenticalOnOneAndTwoThreads_andTheLossIncludesThePenalties() {
        Tensor[] d = SequentialTest.blobs(100, 5, 9);
        // The custom loop, as Model.losses() documents it.
        Sequential model = regularized(7);
        Optimizer optimizer = new Adam(0.01f);
        Loss lossFn = Loss.categoricalCrossentropy();
        List<Variable> vars = model.trainableVariables();
        Batches batches = Batches.shuffled(d[0], d[1], 16, new Random(5));
        List<Double> epochLoss = new ArrayList<>();
        double penaltyShare = 0;
        for (int epoch = 0; epoch < 3; epoch++) {
            double sum = 0;
            for (Batches.Batch b : batches) {
                try (GradientTape tape = new GradientTape()) {
                    Tensor loss = lossFn.call(b.y(), model.call(b.x(), true));
                    float compiled = loss.item();
                    for (Tensor penalty : model.losses()) {
                        loss = Ops.add(loss, penalty);
                    }
                    optimizer.applyGradients(tape.gradient(loss, vars), vars);
                    sum += (double) loss.item() * b.size();
                    penaltyShare = Math.max(penaltyShare, loss.item() - compiled);
                }
            }
            epochLoss.add(sum / 100);
        }
        assertThat(penaltyShare).as("the penalties are a visible part of the loss").isGreaterThan(0.01);
        for (int threads : new int[] {1, 2}) {
            Object[] r = fit(threads, d);
            Sequential fitted = (Sequential) r[0];
            for (int i = 0; i < vars.size(); i++) {
                assertThat(fitted.trainableVariables().get(i).data()).as("%s on %d threads", vars.get(i).name(), threads)
                        .isEqualTo(vars.get(i).data());
            }
            assertThat(((History) r[1]).get("loss")).as("History loss, %d threads", threads)
                    .containsExactly(epochLoss.stream().mapToDouble(Double::doubleValue).toArray(), within(1e-9));
        }
    }

    @Test
    void evaluate_addsThePenaltiesToTheLoss() {
        Tensor[] d = SequentialTest.blobs(40, 5, 2);
        Sequential model = regularized(3);
        model.compile(new Adam(), Loss.categoricalCrossentropy());
        double penalties = 0;
        for (Tensor p : model.losses()) {
            penalties += p.item();
        }
        double compiled = Loss.categoricalCrossentropy().call(d[1], model.call(d[0])).item();
        assertThat(penalties).isGreaterThan(0.05);
        assertThat(model.evaluate(d[0], d[1]).loss()).isCloseTo(compiled + penalties, within(1e-5));
    }

    @Test
    void saveThenLoad_keepsTheRegularizersAndTheirPenalties(@TempDir Path dir) throws IOException {
        Sequential model = regularized(4);
        Path file = dir.resolve("m.safetensors");
        model.save(file);
        Sequential loaded = Sequential.load(file);
        Dense first = (Dense) loaded.layers().get(0);
        assertThat(first.kernelRegularizer()).isEqualTo(Regularizer.l2(0.01));
        assertThat(first.biasRegularizer()).isEqualTo(Regularizer.l1(0.005));
        assertThat(((Dense) loaded.layers().get(1)).kernelRegularizer()).isNull();
        assertThat(((Dense) loaded.layers().get(2)).kernelRegularizer()).isEqualTo(Regularizer.l1l2(0.001, 0.02));
        List<Tensor> before = model.losses();
        List<Tensor> after = loaded.losses();
        assertThat(after).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(after.get(i).item()).isEqualTo(before.get(i).item());
        }
        assertThat(first.config().get("kernel_regularizer"))
                .isEqualTo(Map.of("class_name", "L2", "config", Map.of("l2", 0.01)));
    }

    @Test
    void save_refusesARegularizerLoadCouldNotRebuild(@TempDir Path dir) {
        Regularizer own = new Regularizer() {
            @Override
            public Tensor penalty(Tensor weight) {
                return Ops.sum(weight);
            }

            @Override
            public String className() {
                return "Mine";
            }

            @Override
            public Map<String, Object> config() {
                return Map.of();
            }
        };
        Sequential model = new Sequential(3, 1L, new Dense(2, Activation.LINEAR, own));
        assertThat(model.losses()).hasSize(1);
        assertThatThrownBy(() -> model.save(dir.resolve("m.safetensors")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kernel_regularizer").hasMessageContaining("'Mine'");
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
