package vecgrad.autodiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import vecgrad.kernel.KernelProvider;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/** Argument checks, numerically hard inputs, and exact properties of the ops (gradients: {@link OpsGradientTest}). */
final class OpsTest {

    private static Tensor matrix(int rows, int cols, float... v) {
        return Tensor.of(v, rows, cols);
    }

    @Test
    void matmul_shapeMismatch_namesBothShapes() {
        assertThatThrownBy(() -> Ops.matmul(Tensor.zeros(2, 3), Tensor.zeros(4, 5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a (m,k) · b (k,n)").hasMessageContaining("(2, 3)").hasMessageContaining("(4, 5)");
        assertThatThrownBy(() -> Ops.matmul(Tensor.zeros(3), Tensor.zeros(3, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rank 2").hasMessageContaining("(3)");
        assertThatThrownBy(() -> Ops.matmul(null, Tensor.zeros(3, 2)))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("'a'");
    }

    @Test
    void elementwise_badBroadcast_namesBothShapes() {
        Tensor a = Tensor.zeros(2, 3);
        for (String op : new String[] {"add", "sub", "mul", "div"}) {
            assertThatThrownBy(() -> binary(op, a, Tensor.zeros(2)))
                    .as(op).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(op + ":").hasMessageContaining("(2, 3)").hasMessageContaining("(2)");
            assertThatThrownBy(() -> binary(op, Tensor.zeros(2), a))      // trailing axes 2 and 3 differ
                    .as(op).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(2)");
            assertThatThrownBy(() -> binary(op, a, Tensor.zeros(3, 2)))
                    .as(op).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(3, 2)");
        }
    }

    private static Tensor binary(String op, Tensor a, Tensor b) {
        return switch (op) {
            case "add" -> Ops.add(a, b);
            case "sub" -> Ops.sub(a, b);
            case "mul" -> Ops.mul(a, b);
            default -> Ops.div(a, b);
        };
    }

    @Test
    void add_rowVector_addsToEveryRow() {
        Tensor c = Ops.add(matrix(2, 3, 1, 2, 3, 4, 5, 6), Tensor.of(new float[] {10, 20, 30}, 3));
        assertThat(c.shape()).containsExactly(2, 3);
        assertThat(c.data()).containsExactly(11, 22, 33, 14, 25, 36);
    }

    @Test
    void reductions_badArguments_throw() {
        assertThatThrownBy(() -> Ops.sum(Tensor.zeros(2, 2), 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("axis 0 or 1, got 2");
        assertThatThrownBy(() -> Ops.sum(Tensor.zeros(2, 2, 2), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(2, 2, 2)");
        assertThatThrownBy(() -> Ops.mean(Tensor.zeros(0, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(0, 3)");
        assertThatThrownBy(() -> Ops.mean(Tensor.zeros(0, 3), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(0, 3)");
        assertThatThrownBy(() -> Ops.reshape(Tensor.zeros(2, 3), 4, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(2, 3)").hasMessageContaining("(4, 2)");
        assertThatThrownBy(() -> Ops.scale(Tensor.zeros(2), Float.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finite alpha, got NaN");
        assertThatThrownBy(() -> ActivationOps.softmax(Tensor.zeros()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rank 1 or more").hasMessageContaining("scalar");
    }

    @Test
    void losses_badShapes_namesBothShapes() {
        assertThatThrownBy(() -> LossOps.softmaxCrossEntropyWithLogits(Tensor.zeros(4, 10), Tensor.zeros(4, 9)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("labels (4, 10)").hasMessageContaining("logits (4, 9)");
        assertThatThrownBy(() -> LossOps.categoricalCrossentropy(Tensor.zeros(3, 2), Tensor.zeros(2, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("yTrue (3, 2)").hasMessageContaining("yPred (2, 3)");
        assertThatThrownBy(() -> LossOps.softmaxCrossEntropyWithLogits(Tensor.zeros(0, 3), Tensor.zeros(0, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one example");
    }

    @Test
    void custom_badArguments_throw() {
        Tensor x = Tensor.zeros(2);
        CustomGradient identity = (g, y, in) -> new Tensor[] {g};
        assertThatThrownBy(() -> Ops.custom("bad name(", in -> in[0], identity, x))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'bad name('");
        assertThatThrownBy(() -> Ops.custom("f", in -> in[0], identity))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one input");
        assertThatThrownBy(() -> Ops.custom("f", in -> null, identity, x))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'f'").hasMessageContaining("got null");
        assertThatThrownBy(() -> Ops.custom("f", null, identity, x)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Ops.custom("f", in -> in[0], identity, x, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("index 1");
    }

    @Test
    void softmaxFamily_largeLogits_stayFinite() {
        Tensor x = matrix(2, 3, 1000, 999, -1000, -5000, -5001, -5000);
        Tensor p = ActivationOps.softmax(x);
        Tensor logp = ActivationOps.logSoftmax(x);
        Tensor loss = LossOps.softmaxCrossEntropyWithLogits(matrix(2, 3, 0, 0, 1, 0, 1, 0), x);
        assertThat(p.data()).doesNotContain(Float.NaN);
        assertThat(p.get(0, 0)).isCloseTo((float) (1 / (1 + Math.exp(-1))), within(1e-6f));
        assertThat(logp.get(0, 2)).isCloseTo(-2000f - (float) Math.log1p(Math.exp(-1)), within(1e-3f));
        assertThat(logp.get(1, 1)).isCloseTo(-1f - (float) Math.log(2 + Math.exp(-1)), within(1e-5f));
        // row 0: -log p = 2000 + log(1 + e^-1); row 1: 1 + log(2 + e^-1); mean of the two
        double expected = (2000 + Math.log1p(Math.exp(-1)) + 1 + Math.log(2 + Math.exp(-1))) / 2;
        assertThat((double) loss.item()).isCloseTo(expected, within(1e-3));
    }

    @Test
    void sigmoid_extremes_saturateWithoutNaN() {
        Tensor y = ActivationOps.sigmoid(Tensor.of(new float[] {-1000, -20, 0, 20, 1000}, 5));
        assertThat(y.data()).containsExactly(0f, (float) (1 / (1 + Math.exp(20))), 0.5f, (float) (1 / (1 + Math.exp(-20))), 1f);
    }

    @Test
    void softmaxCrossEntropyWithLogits_gradient_isExactlySoftmaxMinusLabelsOverM() {
        // The hand-derived delta (p − y)/m, bit for bit, with p from the softmax kernel, for a batch
        // size that is not a power of two (where (p − y)·(1/m) would round differently).
        int m = 7;
        int n = 5;
        GradientChecker data = new GradientChecker(3L);
        Variable logits = Variable.of("logits", data.uniform(-3, 3, m, n));
        Tensor labels = data.oneHot(m, n);
        Tensor g;
        try (GradientTape tape = new GradientTape()) {
            g = tape.gradient(LossOps.softmaxCrossEntropyWithLogits(labels, logits), logits);
        }
        float[] p = new float[m * n];
        KernelProvider.get().softmaxRows(logits.data(), p, m, n);
        for (int i = 0; i < m * n; i++) {
            assertThat(g.data()[i]).isEqualTo((p[i] - labels.data()[i]) / m);
        }
    }

    @Test
    void softmaxCrossEntropyWithLogits_equalsCategoricalCrossentropyOfSoftmax() {
        GradientChecker data = new GradientChecker(4L);
        Tensor logits = data.uniform(-2, 2, 6, 4);
        Tensor labels = data.oneHot(6, 4);
        float fused = LossOps.softmaxCrossEntropyWithLogits(labels, logits).item();
        float composed = LossOps.categoricalCrossentropy(labels, ActivationOps.softmax(logits)).item();
        assertThat(fused).isCloseTo(composed, within(1e-6f));
    }

    @Test
    void categoricalCrossentropy_zeroProbability_isClippedAsKeras() {
        // Keras: clip(0) = 1e-7, so the loss is -log(1e-7) = 16.118..., finite, and no gradient flows
        // through the clipped element (the other class gets only the normalisation's share, 0 here).
        Variable yPred = Variable.of("yPred", matrix(1, 2, 0f, 1f));
        Tensor yTrue = matrix(1, 2, 1f, 0f);
        try (GradientTape tape = new GradientTape()) {
            Tensor loss = LossOps.categoricalCrossentropy(yTrue, yPred);
            assertThat(loss.item()).isEqualTo((float) -Math.log(1e-7f));
            assertThat(tape.gradient(loss, yPred).data()).containsExactly(0f, 0f);
        }
    }

    @Test
    void categoricalCrossentropy_unnormalisedRows_areNormalisedAsKeras() {
        Tensor yTrue = matrix(1, 3, 0, 1, 0);
        float loss = LossOps.categoricalCrossentropy(yTrue, matrix(1, 3, 2, 6, 2)).item();
        assertThat(loss).isCloseTo((float) -Math.log(0.6), within(1e-6f));
    }

    @Test
    void reshape_isAViewWithTheNewShape() {
        Tensor x = matrix(2, 3, 1, 2, 3, 4, 5, 6);
        Tensor y = Ops.reshape(x, 3, -1);
        assertThat(y.shape()).containsExactly(3, 2);
        assertThat(y.data()).isSameAs(x.data());
    }
}
