package vecgrad.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

final class AdamTest {

    @Test
    void applyGradients_firstStepMovesEachWeightByAboutTheLearningRate() {
        // At t=1, m̂ = g and v̂ = g², so the step is lr·g/(|g| + ε/sqrt(1-β2)·...) ≈ lr·sign(g).
        Variable w = Variable.of("w", Tensor.of(new float[] {1f, 1f, 1f, 1f}, 4));
        Tensor g = Tensor.of(new float[] {3f, -0.5f, 1e-2f, -200f}, 4);
        new Adam(0.01f).applyGradients(List.of(g), List.of(w));
        assertThat(w.data()).containsExactly(new float[] {0.99f, 1.01f, 0.99f, 1.01f}, within(1e-5f));
    }

    @Test
    void applyGradients_matchesKerasFormulaInDoubleOverSeveralSteps() {
        float[] init = {0.5f, -1.25f, 2f, 0f, 3e-3f};
        Variable w = Variable.of("w", Tensor.of(init, 5));
        Adam adam = new Adam(0.05f, 0.8f, 0.99f, 1e-7f);
        double[] rw = new double[5];
        double[] rm = new double[5];
        double[] rv = new double[5];
        for (int i = 0; i < 5; i++) {
            rw[i] = init[i];
        }
        for (int t = 1; t <= 6; t++) {
            float[] g = new float[5];
            for (int i = 0; i < 5; i++) {
                g[i] = (float) Math.sin(t * 1.7 + i) * (i + 1);
            }
            adam.applyGradients(List.of(Tensor.of(g, 5)), List.of(w));
            double alpha = 0.05 * Math.sqrt(1 - Math.pow(0.99, t)) / (1 - Math.pow(0.8, t));
            for (int i = 0; i < 5; i++) {
                rm[i] += (g[i] - rm[i]) * 0.2;
                rv[i] += ((double) g[i] * g[i] - rv[i]) * 0.01;
                rw[i] -= alpha * rm[i] / (Math.sqrt(rv[i]) + 1e-7);
            }
        }
        assertThat(adam.iterations()).isEqualTo(6);
        for (int i = 0; i < 5; i++) {
            assertThat((double) w.data()[i]).as("w[%d]", i).isCloseTo(rw[i], within(1e-5));
        }
    }

    @Test
    void applyGradients_epsilonIsAddedToSqrtVAsKeras() {
        // Keras: w -= alpha·m / (sqrt(v) + epsilon), epsilon outside the square root and outside the bias
        // correction. With epsilon 0.5 and gradients of about 1 the other placements (inside the root, or
        // added to the bias-corrected sqrt(v̂)) and a wrong sign are tens of percent off.
        float[] init = {1f, -2f, 0.5f};
        Variable w = Variable.of("w", Tensor.of(init, 3));
        Adam adam = new Adam(0.1f, 0.9f, 0.999f, 0.5f);
        assertThat(adam.epsilon()).isEqualTo(0.5f);
        double[] rw = {1, -2, 0.5};
        double[] rm = new double[3];
        double[] rv = new double[3];
        for (int t = 1; t <= 3; t++) {
            float[] g = {1f, -0.5f, 2f * t};
            adam.applyGradients(List.of(Tensor.of(g, 3)), List.of(w));
            double alpha = 0.1 * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
            for (int i = 0; i < 3; i++) {
                rm[i] += (g[i] - rm[i]) * 0.1;
                rv[i] += ((double) g[i] * g[i] - rv[i]) * 0.001;
                rw[i] -= alpha * rm[i] / (Math.sqrt(rv[i]) + 0.5);
            }
        }
        for (int i = 0; i < 3; i++) {
            assertThat((double) w.data()[i]).as("w[%d]", i).isCloseTo(rw[i], within(1e-6));
        }
    }

    @Test
    void applyGradients_nullGradientSkipsItsVariable() {
        Variable a = Variable.of("a", Tensor.ones(2));
        Variable b = Variable.of("b", Tensor.ones(2));
        new Adam().applyGradients(Arrays.asList(Tensor.ones(2), null), List.of(a, b));
        assertThat(a.data()).containsExactly(0.999f, 0.999f);
        assertThat(b.data()).containsExactly(1f, 1f);
    }

    @Test
    void applyGradients_sameInputsGiveSameBits() {
        float[][] results = new float[2][];
        for (int r = 0; r < 2; r++) {
            Variable w = Variable.of("w", Tensor.randomNormal(new java.util.Random(7), 0, 1, 33));
            Adam adam = new Adam();
            for (int t = 0; t < 10; t++) {
                adam.applyGradients(List.of(Tensor.randomNormal(new java.util.Random(t), 0, 1, 33)), List.of(w));
            }
            results[r] = w.data();
        }
        assertThat(results[0]).isEqualTo(results[1]);
    }

    @Test
    void applyGradients_shapeMismatch() {
        Variable w = Variable.of("W1", Tensor.zeros(3, 2));
        assertThatThrownBy(() -> new Adam().applyGradients(List.of(Tensor.zeros(2, 3)), List.of(w)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(2, 3)").hasMessageContaining("(3, 2)").hasMessageContaining("W1");
    }

    @Test
    void applyGradients_lengthMismatchAndDuplicatesAndAllNull() {
        Variable w = Variable.of("w", Tensor.zeros(2));
        Adam adam = new Adam();
        assertThatThrownBy(() -> adam.applyGradients(List.of(), List.of(w)))
                .hasMessageContaining("0 gradients for 1 variables");
        assertThatThrownBy(() -> adam.applyGradients(List.of(Tensor.ones(2), Tensor.ones(2)), List.of(w, w)))
                .hasMessageContaining("appears twice");
        assertThatThrownBy(() -> adam.applyGradients(Arrays.asList((Tensor) null), List.of(w)))
                .hasMessageContaining("every gradient is null");
        Variable frozen = Variable.of("frozen", Tensor.zeros(2), false);
        assertThatThrownBy(() -> adam.applyGradients(List.of(Tensor.ones(2)), List.of(frozen)))
                .hasMessageContaining("not trainable");
        assertThat(adam.iterations()).isZero();
        assertThat(w.data()).containsExactly(0f, 0f);
    }

    @Test
    void constructor_rejectsBadHyperParameters() {
        assertThatThrownBy(() -> new Adam(0f)).hasMessageContaining("learningRate").hasMessageContaining("0.0");
        assertThatThrownBy(() -> new Adam(Float.NaN)).hasMessageContaining("learningRate");
        assertThatThrownBy(() -> new Adam(1e-3f, 1f, 0.999f, 1e-7f)).hasMessageContaining("beta1");
        assertThatThrownBy(() -> new Adam(1e-3f, 0.9f, -0.1f, 1e-7f)).hasMessageContaining("beta2");
        assertThatThrownBy(() -> new Adam(1e-3f, 0.9f, 0.999f, 0f)).hasMessageContaining("epsilon");
    }

    @Test
    void defaults_areKeras() {
        Adam adam = new Adam();
        assertThat(adam.learningRate()).isEqualTo(1e-3f);
        assertThat(adam.beta1()).isEqualTo(0.9f);
        assertThat(adam.beta2()).isEqualTo(0.999f);
        assertThat(adam.epsilon()).isEqualTo(1e-7f);
    }

    @Test
    void applyGradients_allocatesNothingOnceEveryVariableIsSeen() throws Exception {
        Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        java.lang.reflect.Method counter = Class.forName("com.sun.management.ThreadMXBean")
                .getMethod("getCurrentThreadAllocatedBytes");
        List<Variable> vars = List.of(Variable.of("W", Tensor.ones(64, 32)), Variable.of("b", Tensor.ones(32)));
        List<Tensor> grads = List.of(Tensor.filled(0.5f, 64, 32), Tensor.filled(0.25f, 32));
        Adam adam = new Adam();
        for (int i = 0; i < 20_000; i++) {       // create the slots, let the JIT compile
            adam.applyGradients(grads, vars);
        }
        long before = (Long) counter.invoke(bean);
        for (int i = 0; i < 1000; i++) {
            adam.applyGradients(grads, vars);
        }
        long after = (Long) counter.invoke(bean);
        long readCost = (Long) counter.invoke(bean) - after;   // the reflective read itself may box
        assertThat(after - before - readCost).as("bytes allocated by 1000 Adam steps").isLessThan(1024);
    }
}
