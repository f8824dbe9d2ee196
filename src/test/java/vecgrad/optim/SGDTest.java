package vecgrad.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

final class SGDTest {

    @Test
    void applyGradients_plainStepIsLearningRateTimesGradient() {
        Variable w = Variable.of("w", Tensor.of(new float[] {1f, -2f}, 2));
        new SGD(0.5f).applyGradients(List.of(Tensor.of(new float[] {2f, -4f}, 2)), List.of(w));
        assertThat(w.data()).containsExactly(0f, 0f);
    }

    @Test
    void applyGradients_momentumAccumulatesVelocity() {
        // constant gradient 1, lr 0.1, momentum 0.5: u = -0.1, -0.15, -0.175; w = 1 - 0.1 - 0.15 - 0.175
        Variable w = Variable.of("w", Tensor.ones(1));
        SGD sgd = new SGD(0.1f, 0.5f, false);
        for (int t = 0; t < 3; t++) {
            sgd.applyGradients(List.of(Tensor.ones(1)), List.of(w));
        }
        assertThat(w.data()[0]).isCloseTo(0.575f, within(1e-6f));
    }

    @Test
    void applyGradients_nesterovLooksAhead() {
        // constant gradient 1, lr 0.1, momentum 0.5: steps are (0.5·u - 0.1) with u = -0.1, -0.15
        Variable w = Variable.of("w", Tensor.ones(1));
        SGD sgd = new SGD(0.1f, 0.5f, true);
        sgd.applyGradients(List.of(Tensor.ones(1)), List.of(w));
        assertThat(w.data()[0]).isCloseTo(1f - 0.15f, within(1e-6f));
        sgd.applyGradients(List.of(Tensor.ones(1)), List.of(w));
        assertThat(w.data()[0]).isCloseTo(1f - 0.15f - 0.175f, within(1e-6f));
    }

    @Test
    void applyGradients_minimisesAQuadratic() {
        // f(w) = Σ (w - 3)², gradient 2(w - 3)
        Variable w = Variable.of("w", Tensor.zeros(4));
        SGD sgd = new SGD(0.1f, 0.9f, true);
        for (int t = 0; t < 200; t++) {
            float[] g = new float[4];
            for (int i = 0; i < 4; i++) {
                g[i] = 2 * (w.data()[i] - 3f);
            }
            sgd.applyGradients(List.of(Tensor.of(g, 4)), List.of(w));
        }
        assertThat(w.data()).containsOnly(3f).hasSize(4);
    }

    @Test
    void applyGradients_nullGradientLeavesItsVariableAndVelocityAlone() {
        // As Keras, which drops (gradient None, variable) pairs: the variable is not updated, and its
        // velocity neither decays nor moves it.
        Variable a = Variable.of("a", Tensor.ones(2));
        Variable b = Variable.of("b", Tensor.ones(2));
        SGD sgd = new SGD(0.1f, 0.5f, false);
        sgd.applyGradients(List.of(Tensor.ones(2), Tensor.ones(2)), List.of(a, b));    // u = -0.1: a = b = 0.9
        sgd.applyGradients(Arrays.asList(Tensor.ones(2), null), List.of(a, b));       // a: u = -0.15
        assertThat(a.data()).containsExactly(new float[] {0.75f, 0.75f}, within(1e-6f));
        assertThat(b.data()).containsExactly(0.9f, 0.9f);
        sgd.applyGradients(List.of(Tensor.zeros(2), Tensor.zeros(2)), List.of(a, b));  // b: u = -0.05 (kept -0.1)
        assertThat(b.data()).containsExactly(new float[] {0.85f, 0.85f}, within(1e-6f));
        assertThat(sgd.iterations()).isEqualTo(3);
    }

    @Test
    void applyGradients_eachVariableHasItsOwnVelocity() {
        Variable a = Variable.of("a", Tensor.zeros(3));
        Variable b = Variable.of("b", Tensor.zeros(3));
        SGD sgd = new SGD(1f, 0.5f, false);
        for (int t = 0; t < 2; t++) {
            sgd.applyGradients(List.of(Tensor.ones(3), Tensor.filled(-2f, 3)), List.of(a, b));
        }
        // a: u = -1, -1.5 -> -2.5; b: u = 2, 3 -> 5
        assertThat(a.data()).containsExactly(-2.5f, -2.5f, -2.5f);
        assertThat(b.data()).containsExactly(5f, 5f, 5f);
    }

    @Test
    void constructor_rejectsBadHyperParameters() {
        assertThatThrownBy(() -> new SGD(-1f)).hasMessageContaining("learningRate");
        assertThatThrownBy(() -> new SGD(0.1f, 1.5f, false)).hasMessageContaining("momentum");
        assertThatThrownBy(() -> new SGD(0.1f, 0f, true)).hasMessageContaining("nesterov");
        assertThat(new SGD().learningRate()).isEqualTo(0.01f);
    }
}
