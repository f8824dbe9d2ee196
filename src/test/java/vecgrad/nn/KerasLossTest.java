package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleBinaryOperator;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import vecgrad.autodiff.GradientTape;
import vecgrad.autodiff.LossOps;
import vecgrad.autodiff.Ops;
import vecgrad.optim.Adam;
import vecgrad.tensor.Tensor;

/**
 * The Keras losses through the {@link Loss} API: names and defaults, values against Keras 3's
 * formulas in double (keras/src/losses/losses.py; the reduction sum_over_batch_size of
 * keras/src/losses/loss.py), sample weights, bad input, and a small network that learns with binary
 * cross-entropy. Gradients are checked against finite differences in
 * {@code vecgrad.autodiff.LossOpsGradientTest}.
 */
final class KerasLossTest {

    private static final double EPS = 1e-7;

    private final Random rng = new Random(3);

    private Tensor uniform(float lo, float hi, int... shape) {
        return Tensor.randomUniform(rng, lo, hi, shape);
    }

    // ---------------------------------------------------------------- names and defaults

    @Test
    void factories_haveKerasNamesAndDefaults() {
        assertThat(Loss.binaryCrossentropy().name()).isEqualTo("binary_crossentropy");
        assertThat(Loss.binaryCrossentropy().fromLogits()).isFalse();
        assertThat(Loss.binaryCrossentropy(true).fromLogits()).isTrue();
        assertThat(Loss.meanAbsoluteError().name()).isEqualTo("mean_absolute_error");
        assertThat(Loss.huber().name()).isEqualTo("huber");
        assertThat(Loss.logCosh().name()).isEqualTo("log_cosh");
        assertThat(Loss.klDivergence().name()).isEqualTo("kl_divergence");
        assertThat(Loss.hinge().name()).isEqualTo("hinge");
        // Huber's default delta is 1: an error of 3 costs 3 − 1/2
        Tensor huber = Loss.huber().call(Tensor.zeros(1, 1), Tensor.filled(3f, 1, 1));
        assertThat(huber.item()).isEqualTo(2.5f);
        assertThat(Loss.huber(2f).call(Tensor.zeros(1, 1), Tensor.filled(3f, 1, 1)).item()).isEqualTo(4f);
        assertThatThrownBy(() -> Loss.huber(-1f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("delta > 0, got -1.0");
        assertThatThrownBy(() -> Loss.huber(Float.NaN)).hasMessageContaining("got NaN");
    }

    // ---------------------------------------------------------------- values against Keras' formulas

    /** Keras: mean over the batch of the per-sample losses, each the mean over the last axis of f. */
    private static double kerasMean(Tensor y, Tensor p, DoubleBinaryOperator f) {
        int m = p.rows();
        int k = p.cols();
        double total = 0;
        for (int i = 0; i < m; i++) {
            double row = 0;
            for (int j = 0; j < k; j++) {
                row += f.applyAsDouble(y.get(i, j), p.get(i, j));
            }
            total += row / k;
        }
        return total / m;
    }

    @Test
    void call_valuesMatchKerasFormulasInDouble() {
        Tensor y01 = uniform(0f, 1f, 5, 7);
        Tensor p = uniform(0.02f, 0.98f, 5, 7);
        Tensor r = uniform(-2f, 2f, 5, 7);
        Tensor s = uniform(-2f, 2f, 5, 7);
        assertClose(Loss.binaryCrossentropy().call(y01, p), kerasMean(y01, p, (y, q) -> {
            double c = Math.min(Math.max(q, EPS), 1 - EPS);
            return -(y * Math.log(c) + (1 - y) * Math.log(1 - c));
        }));
        assertClose(Loss.binaryCrossentropy(true).call(y01, r), kerasMean(y01, r, (y, z) -> {
            double sig = 1 / (1 + Math.exp(-z));
            return -(y * Math.log(sig) + (1 - y) * Math.log(1 - sig));
        }));
        assertClose(Loss.meanAbsoluteError().call(r, s), kerasMean(r, s, (y, q) -> Math.abs(q - y)));
        assertClose(Loss.huber().call(r, s), kerasMean(r, s, (y, q) -> {
            double e = Math.abs(q - y);
            return e <= 1 ? 0.5 * e * e : e - 0.5;
        }));
        assertClose(Loss.logCosh().call(r, s), kerasMean(r, s, (y, q) -> Math.log(Math.cosh(q - y))));
        // KL sums over the last axis: the mean times k
        assertClose(Loss.klDivergence().call(y01, p), 7 * kerasMean(y01, p, (y, q) -> {
            double yc = Math.min(Math.max(y, EPS), 1);
            return yc * Math.log(yc / Math.min(Math.max(q, EPS), 1));
        }));
        Tensor signs = Tensor.zeros(5, 7);
        for (int i = 0; i < signs.size(); i++) {
            signs.data()[i] = rng.nextBoolean() ? 1 : -1;
        }
        assertClose(Loss.hinge().call(signs, s), kerasMean(signs, s, (y, q) -> Math.max(1 - y * q, 0)));
    }

    private static void assertClose(Tensor loss, double expected) {
        assertThat(loss.rank()).isZero();
        assertThat((double) loss.item()).isCloseTo(expected, within(1e-6 * Math.max(1, Math.abs(expected))));
    }

    @Test
    void binaryCrossentropy_clipsProbabilitiesAsKeras() {
        // p = 0 for a true 1 costs −log(1e-7), not infinity; p = 1 for a true 0 costs −log(1 − c) with
        // c = 1 − 1e-7 in float32 (as Keras computes it), which rounds to 1 − 2^-23
        Tensor y = Tensor.of(new float[] {1, 0}, 2, 1);
        Tensor p = Tensor.of(new float[] {0, 1}, 2, 1);
        double expected0 = -Math.log(1e-7f);
        double expected1 = -Math.log(1 - (double) (1f - 1e-7f));
        assertThat((double) Loss.binaryCrossentropy().call(y, p).item())
                .isCloseTo((expected0 + expected1) / 2, within(1e-5));
        assertThat(expected1).isCloseTo(-Math.log(0x1p-23), within(1e-9));
        // multi-label (m, k): the per-sample loss is the mean over the k labels
        Tensor y2 = Tensor.of(new float[] {1, 0, 1, 0}, 1, 4);
        Tensor p2 = Tensor.of(new float[] {0.9f, 0.2f, 0.6f, 0.5f}, 1, 4);
        double expected = -(Math.log(0.9f) + Math.log(1 - 0.2f) + Math.log(0.6f) + Math.log(0.5)) / 4;
        assertThat((double) Loss.binaryCrossentropy().call(y2, p2).item()).isCloseTo(expected, within(1e-6));
    }

    @Test
    void hinge_convertsZeroOneLabelsAsKeras() {
        Tensor p = Tensor.of(new float[] {0.5f, -0.25f}, 1, 2);
        // labels 0/1 become −1/1 (Keras' convert_binary_labels_to_hinge): max(1 − (−1)(0.5), 0) = 1.5 and
        // max(1 − (1)(−0.25), 0) = 1.25
        Tensor zeroOne = Tensor.of(new float[] {0, 1}, 1, 2);
        Tensor plusMinus = Tensor.of(new float[] {-1, 1}, 1, 2);
        assertThat(Loss.hinge().call(zeroOne, p).item()).isEqualTo(Loss.hinge().call(plusMinus, p).item());
        assertThat((double) Loss.hinge().call(zeroOne, p).item()).isCloseTo((1.5 + 1.25) / 2, within(1e-7));
    }

    // ---------------------------------------------------------------- the automatic sigmoid path

    @Test
    void binaryCrossentropy_onASigmoidLayerUsesItsLogits() {
        Sequential model = new Sequential(3, 5, new Dense(2, Activation.SIGMOID));
        Tensor x = uniform(-2f, 2f, 4, 3);
        Tensor y = Tensor.of(new float[] {1, 0, 0, 1, 1, 1, 0, 0}, 4, 2);
        Dense dense = (Dense) model.layers().get(0);
        try (GradientTape tape = GradientTape.persistent()) {
            Tensor auto = Loss.binaryCrossentropy().call(y, model.call(x));
            Tensor logits = Ops.add(Ops.matmul(x, dense.kernel()), dense.bias());
            Tensor fused = Loss.binaryCrossentropy(true).call(y, logits);
            assertThat(auto.item()).isEqualTo(fused.item());
            List<Tensor> g = tape.gradient(auto, model.trainableVariables());
            List<Tensor> r = tape.gradient(fused, model.trainableVariables());
            assertThat(g.get(0).data()).isEqualTo(r.get(0).data());
            assertThat(g.get(1).data()).isEqualTo(r.get(1).data());
        }
    }

    // ---------------------------------------------------------------- sample weights

    /** Every built-in loss with inputs that suit it: {yTrue, yPred-maker}; yPred is made inside the tape. */
    private List<Case> cases() {
        Tensor x = uniform(-2f, 2f, 5, 3);
        Tensor soft = uniform(0f, 1f, 5, 7);
        Tensor onehot = Tensor.zeros(5, 7);
        Tensor labels = Tensor.zeros(5);
        for (int i = 0; i < 5; i++) {
            int c = rng.nextInt(7);
            onehot.set(1f, i, c);
            labels.data()[i] = c;
        }
        Sequential softmaxNet = new Sequential(3, 1, new Dense(7, Activation.SOFTMAX));
        Sequential sigmoidNet = new Sequential(3, 2, new Dense(7, Activation.SIGMOID));
        Sequential linearNet = new Sequential(3, 3, new Dense(7));
        Tensor probs = uniform(0.05f, 1f, 5, 7);
        return List.of(
                new Case(Loss.categoricalCrossentropy(), onehot, softmaxNet, softmaxNet::call),
                new Case(Loss.categoricalCrossentropy(), onehot, null, v -> probs),
                new Case(Loss.categoricalCrossentropy(true), onehot, linearNet, linearNet::call),
                new Case(Loss.sparseCategoricalCrossentropy(), labels, softmaxNet, softmaxNet::call),
                new Case(Loss.meanSquaredError(), soft, linearNet, linearNet::call),
                new Case(Loss.binaryCrossentropy(), soft, sigmoidNet, sigmoidNet::call),
                new Case(Loss.binaryCrossentropy(), soft, null, v -> uniform(0.05f, 0.95f, 5, 7)),
                new Case(Loss.binaryCrossentropy(true), soft, linearNet, linearNet::call),
                new Case(Loss.meanAbsoluteError(), soft, linearNet, linearNet::call),
                new Case(Loss.huber(), soft, linearNet, linearNet::call),
                new Case(Loss.logCosh(), soft, linearNet, linearNet::call),
                new Case(Loss.klDivergence(), soft, sigmoidNet, sigmoidNet::call),
                new Case(Loss.hinge(), soft, linearNet, linearNet::call))
                .stream().map(c -> c.withInput(x)).toList();
    }

    private record Case(Loss loss, Tensor yTrue, Sequential net, Function<Tensor, Tensor> model, Tensor x) {
        Case(Loss loss, Tensor yTrue, Sequential net, Function<Tensor, Tensor> model) {
            this(loss, yTrue, net, model, null);
        }

        Case withInput(Tensor input) {
            return new Case(loss, yTrue, net, model, input);
        }

        List<? extends Tensor> sources(Tensor yPred) {
            return net != null ? net.trainableVariables() : List.of(yPred);
        }
    }

    @Test
    void call_withUnitWeightsIsBitIdenticalToUnweighted() {
        for (Case c : cases()) {
            for (Tensor ones : new Tensor[] {Tensor.ones(5), Tensor.ones(5, 1)}) {
                try (GradientTape tape = GradientTape.persistent()) {
                    Tensor yPred = c.model().apply(c.x());
                    tape.watch(yPred);
                    Tensor plain = c.loss().call(c.yTrue(), yPred);
                    Tensor weighted = c.loss().call(c.yTrue(), yPred, ones);
                    assertThat(weighted.item()).as(c.loss().toString()).isEqualTo(plain.item());
                    List<Tensor> gp = tape.gradient(plain, c.sources(yPred));
                    List<Tensor> gw = tape.gradient(weighted, c.sources(yPred));
                    for (int i = 0; i < gp.size(); i++) {
                        assertThat(gw.get(i).data()).as(c.loss() + " gradient " + i).isEqualTo(gp.get(i).data());
                    }
                }
            }
        }
    }

    @Test
    void call_withWeightsIsTheWeightedSumOverTheBatchSize() {
        // per-sample losses computed one sample at a time, then Σ w_i · loss_i / m (Keras' sum_over_batch_size)
        Tensor w = Tensor.of(new float[] {0.5f, 0f, 2f, 1f, 3f}, 5);
        for (Case c : cases()) {
            Tensor yPred = c.model().apply(c.x());
            double expected = 0;
            for (int i = 0; i < 5; i++) {
                Tensor yi = row(c.yTrue(), i);
                // a network's output is recomputed for the one sample, so that a softmax or sigmoid
                // output keeps its logits path
                Tensor pi = c.net() != null ? c.model().apply(row(c.x(), i)) : row(yPred, i);
                expected += w.data()[i] * c.loss().call(yi, pi).item();
            }
            expected /= 5;
            double actual = c.loss().call(c.yTrue(), yPred, w).item();
            assertThat(actual).as(c.loss().toString()).isCloseTo(expected, within(2e-6 * Math.max(1, Math.abs(expected))));
        }
    }

    private static Tensor row(Tensor t, int i) {
        int n = t.rank() == 1 ? 1 : t.cols();
        float[] d = Arrays.copyOfRange(t.data(), i * n, (i + 1) * n);
        return t.rank() == 1 ? Tensor.of(d, 1) : Tensor.of(d, 1, n);
    }

    @Test
    void call_withWeightsByHand() {
        // MAE: per-sample losses 1 and 3; weights 2 and 0.5 -> (2·1 + 0.5·3) / 2 = 1.75 (not / Σw = 2.5)
        Tensor y = Tensor.of(new float[] {0, 0, 1, 1}, 2, 2);
        Tensor p = Tensor.of(new float[] {1, -1, 4, -2}, 2, 2);
        Tensor w = Tensor.of(new float[] {2, 0.5f}, 2);
        assertThat(Loss.meanAbsoluteError().call(y, p, w).item()).isEqualTo(1.75f);
        // MSE: per-sample 1 and 9 -> (2 + 4.5) / 2
        assertThat(Loss.meanSquaredError().call(y, p, w).item()).isEqualTo(3.25f);
        // categorical on probabilities: −log 0.5 and −log 0.25 -> (2·log 2 + 0.5·log 4) / 2 = 1.5·log 2
        Tensor hot = Tensor.of(new float[] {1, 0, 0, 1}, 2, 2);
        Tensor q = Tensor.of(new float[] {0.5f, 0.5f, 0.75f, 0.25f}, 2, 2);
        assertThat((double) Loss.categoricalCrossentropy().call(hot, q, w).item())
                .isCloseTo(1.5 * Math.log(2), within(1e-7));
        assertThat((double) Loss.sparseCategoricalCrossentropy().call(Tensor.of(new float[] {0, 1}, 2, 1), q, w).item())
                .isCloseTo(1.5 * Math.log(2), within(1e-7));
        // a zero weight removes a sample, and its gradient
        Tensor z = Tensor.of(new float[] {0.25f, -0.5f, 3f, 1f}, 2, 2);
        try (GradientTape tape = new GradientTape()) {
            tape.watch(z);
            Tensor loss = Loss.binaryCrossentropy(true).call(hot, z, Tensor.of(new float[] {0, 1}, 2));
            Tensor g = tape.gradient(loss, z);
            assertThat(g.get(0, 0)).isZero();
            assertThat(g.get(0, 1)).isZero();
            double s = 1 / (1 + Math.exp(-3.0));
            assertThat((double) g.get(1, 0)).isCloseTo((s - 0) / 4, within(1e-7));
        }
    }

    @Test
    void customLoss_stillRefusesWeights() {
        Loss custom = Loss.of("mine", (y, p) -> Ops.mean(p));
        assertThatThrownBy(() -> custom.call(Tensor.zeros(2, 1), Tensor.zeros(2, 1), Tensor.ones(2)))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("mine");
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void binaryCrossentropy_refusesASoftmaxOutput() {
        Sequential model = new Sequential(4, 1, new Dense(10, Activation.SOFTMAX));
        Tensor p = model.call(Tensor.zeros(3, 4));
        Tensor y = Tensor.zeros(3, 10);
        for (Loss bce : new Loss[] {Loss.binaryCrossentropy(), Loss.binaryCrossentropy(true)}) {
            assertThatThrownBy(() -> bce.call(y, p)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("binary_crossentropy").hasMessageContaining("softmax output (3, 10)")
                    .hasMessageContaining("categorical_crossentropy");
            assertThatThrownBy(() -> bce.call(y, p, Tensor.ones(3))).hasMessageContaining("softmax output (3, 10)");
        }
    }

    @Test
    void call_rejectsBadTargetsAndWeightsNamingThem() {
        Tensor p = Tensor.filled(0.5f, 4, 3);
        Tensor y = Tensor.zeros(4, 3);
        for (Loss loss : new Loss[] {Loss.binaryCrossentropy(), Loss.meanAbsoluteError(), Loss.huber(),
                Loss.logCosh(), Loss.klDivergence(), Loss.hinge(), Loss.meanSquaredError(),
                Loss.categoricalCrossentropy()}) {
            assertThatThrownBy(() -> loss.call(Tensor.zeros(4, 1), p)).as(loss.name())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(loss.name())
                    .hasMessageContaining("(4, 1)").hasMessageContaining("(4, 3)");
            assertThatThrownBy(() -> loss.call(y, p, Tensor.ones(3))).as(loss.name())
                    .hasMessageContaining(loss.name()).hasMessageContaining("(4) or (4, 1)").hasMessageContaining("got (3)");
            assertThatThrownBy(() -> loss.call(y, p, Tensor.ones(4, 3))).hasMessageContaining("got (4, 3)");
            assertThatThrownBy(() -> loss.call(y, p, Tensor.of(new float[] {1, 1, -0.5f, 1}, 4)))
                    .hasMessageContaining("-0.5 at sample 2");
            assertThatThrownBy(() -> loss.call(y, p, Tensor.of(new float[] {1, Float.POSITIVE_INFINITY, 1, 1}, 4)))
                    .hasMessageContaining("Infinity at sample 1");
            assertThatThrownBy(() -> loss.call(y, Tensor.zeros(12))).hasMessageContaining("(batch, outputs)");
        }
        Loss sparse = Loss.sparseCategoricalCrossentropy();
        assertThatThrownBy(() -> sparse.call(Tensor.of(new float[] {0, 1, 3, 2}, 4), p, Tensor.ones(4)))
                .hasMessageContaining("label 3.0 at row 2").hasMessageContaining("[0, 3)");
        assertThatThrownBy(() -> sparse.call(Tensor.of(new float[] {0, 1, 1.5f, 2}, 4), p))
                .hasMessageContaining("label 1.5 at row 2");
    }

    // ---------------------------------------------------------------- learning

    @Test
    void binaryCrossentropy_trainsASigmoidNetworkOnSeparableData() {
        // two Gaussian blobs in 2-d, separable by the line x0 + x1 = 0 with a margin
        int n = 200;
        Tensor x = Tensor.zeros(n, 2);
        Tensor y = Tensor.zeros(n, 1);
        for (int i = 0; i < n; i++) {
            int label = i % 2;
            float cx = label == 1 ? 1.5f : -1.5f;
            x.set(cx + (float) rng.nextGaussian() * 0.5f, i, 0);
            x.set(cx + (float) rng.nextGaussian() * 0.5f, i, 1);
            y.set(label, i, 0);
        }
        Sequential model = new Sequential(2, 42, new Dense(8, Activation.RELU), new Dense(1, Activation.SIGMOID));
        Adam adam = new Adam(0.05f);
        Loss bce = Loss.binaryCrossentropy();
        float first = Float.NaN;
        float last = Float.NaN;
        for (int step = 0; step < 60; step++) {
            try (GradientTape tape = new GradientTape()) {
                Tensor loss = bce.call(y, model.call(x, true));
                last = loss.item();
                first = step == 0 ? last : first;
                adam.applyGradients(tape.gradient(loss, model.trainableVariables()), model.trainableVariables());
            }
        }
        Tensor p = model.call(x);
        int correct = 0;
        for (int i = 0; i < n; i++) {
            correct += (p.get(i, 0) > 0.5f) == (y.get(i, 0) == 1f) ? 1 : 0;
        }
        assertThat(last).isLessThan(first / 4);
        assertThat(correct).isGreaterThanOrEqualTo(190);   // chance is 100
    }

    @Test
    void lossOps_isWhatTheBuiltinLossesCall() {
        Tensor y = uniform(0f, 1f, 3, 4);
        Tensor p = uniform(0.1f, 0.9f, 3, 4);
        assertThat(Loss.binaryCrossentropy().call(y, p).item()).isEqualTo(LossOps.binaryCrossentropy(y, p, null).item());
        assertThat(Loss.logCosh().call(y, p).item()).isEqualTo(LossOps.logCosh(y, p, null).item());
    }
}
