package vecgrad.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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
    void constructor_rejectsBadHyperParameters() {
        assertThatThrownBy(() -> new SGD(-1f)).hasMessageContaining("learningRate");
        assertThatThrownBy(() -> new SGD(0.1f, 1.5f, false)).hasMessageContaining("momentum");
        assertThatThrownBy(() -> new SGD(0.1f, 0f, true)).hasMessageContaining("nesterov");
        assertThat(new SGD().learningRate()).isEqualTo(0.01f);
    }
}
