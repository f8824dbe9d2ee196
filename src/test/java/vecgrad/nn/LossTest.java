package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import vecgrad.autodiff.GradientTape;
import vecgrad.autodiff.LossOps;
import vecgrad.autodiff.Ops;
import vecgrad.tensor.Tensor;

final class LossTest {

    private static final Tensor Y = Tensor.of(new float[] {0, 1, 0, 1, 0, 0}, 2, 3);

    @Test
    void categoricalCrossentropy_onProbabilitiesIsMinusMeanLogOfTheTrueClass() {
        Tensor p = Tensor.of(new float[] {0.2f, 0.7f, 0.1f, 0.5f, 0.25f, 0.25f}, 2, 3);
        double expected = -(Math.log(0.7) + Math.log(0.5)) / 2;
        assertThat((double) Loss.categoricalCrossentropy().call(Y, p).item()).isCloseTo(expected, within(1e-6));
        // Keras clips probabilities to [1e-7, 1 - 1e-7]: a zero gives -log(1e-7), not infinity
        Tensor zero = Tensor.of(new float[] {1, 0, 0, 0, 1, 0}, 2, 3);
        assertThat((double) Loss.categoricalCrossentropy().call(Y, zero).item()).isCloseTo(-Math.log(1e-7), within(1e-3));
    }

    @Test
    void categoricalCrossentropy_onASoftmaxLayerUsesItsLogitsWithGradientPMinusYOverM() {
        Sequential m = new Sequential(3, 5, new Dense(3, Activation.SOFTMAX));
        Tensor x = Tensor.of(new float[] {1, -2, 3, 0.5f, 0.25f, -1}, 2, 3);
        try (GradientTape tape = GradientTape.persistent()) {
            Tensor p = m.call(x);
            Tensor fused = Loss.categoricalCrossentropy().call(Y, p);
            Tensor logits = Ops.add(Ops.matmul(x, m.trainableVariables().get(0)), m.trainableVariables().get(1));
            Tensor reference = LossOps.softmaxCrossEntropyWithLogits(Y, logits);
            assertThat(fused.item()).isEqualTo(reference.item());
            List<Tensor> g = tape.gradient(fused, m.trainableVariables());
            List<Tensor> r = tape.gradient(reference, m.trainableVariables());
            assertThat(g.get(0).data()).isEqualTo(r.get(0).data());
            assertThat(g.get(1).data()).isEqualTo(r.get(1).data());
            // db = column sums of (p - y)/m
            for (int j = 0; j < 3; j++) {
                double db = ((p.get(0, j) - Y.get(0, j)) + (p.get(1, j) - Y.get(1, j))) / 2.0;
                assertThat((double) g.get(1).get(j)).isCloseTo(db, within(1e-6));
            }
        }
    }

    @Test
    void sparseCategoricalCrossentropy_equalsTheOneHotLoss() {
        Tensor p = Tensor.of(new float[] {0.2f, 0.7f, 0.1f, 0.5f, 0.25f, 0.25f}, 2, 3);
        Tensor labels = Tensor.of(new float[] {1, 0}, 2);
        assertThat(Loss.sparseCategoricalCrossentropy().call(labels, p).item())
                .isEqualTo(Loss.categoricalCrossentropy().call(Y, p).item());
        assertThatThrownBy(() -> Loss.sparseCategoricalCrossentropy().call(Tensor.of(new float[] {1, 3}, 2), p))
                .hasMessageContaining("label 3.0 at row 1");
        assertThatThrownBy(() -> Loss.sparseCategoricalCrossentropy().call(Tensor.zeros(3), p))
                .hasMessageContaining("(2) or (2, 1)").hasMessageContaining("(3)");
    }

    @Test
    void meanSquaredError_andShapeChecks() {
        Tensor p = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        double expected = (1 + 1 + 9 + 9 + 25 + 36) / 6.0;
        assertThat((double) Loss.meanSquaredError().call(Y, p).item()).isCloseTo(expected, within(1e-5));
        assertThatThrownBy(() -> Loss.meanSquaredError().call(Tensor.zeros(2, 2), p))
                .hasMessageContaining("(2, 2)").hasMessageContaining("(2, 3)");
        assertThatThrownBy(() -> Loss.categoricalCrossentropy().call(Y, Tensor.zeros(6)))
                .hasMessageContaining("(batch, outputs)");
    }
}
