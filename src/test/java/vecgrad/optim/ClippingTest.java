package vecgrad.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * clipnorm, clipvalue and globalClipnorm against Keras' formulas (keras/src/optimizers/base_optimizer.py,
 * _clip_gradients, _clip_by_norm and clip_by_global_norm), through plain SGD with learning rate 1, so
 * that a weight moves by exactly minus its clipped gradient.
 */
final class ClippingTest {

    private static final float[] G1 = {3f, -4f, 0.5f};          // norm sqrt(25.25) ~ 5.025
    private static final float[] G2 = {0.1f, 0.2f};              // norm sqrt(0.05) ~ 0.2236

    private static List<Variable> vars() {
        return List.of(Variable.of("a", Tensor.zeros(3)), Variable.of("b", Tensor.zeros(2)));
    }

    private static List<Tensor> grads() {
        return List.of(Tensor.of(G1, 3), Tensor.of(G2, 2));
    }

    private static void assertMovedBy(List<Variable> vars, double[][] expectedGradients) {
        for (int k = 0; k < vars.size(); k++) {
            for (int i = 0; i < expectedGradients[k].length; i++) {
                double expected = -expectedGradients[k][i];
                assertThat((double) vars.get(k).data()[i]).as("%s[%d]", vars.get(k).name(), i)
                        .isCloseTo(expected, within(4 * Math.ulp((float) expected) + 1e-30));
            }
        }
    }

    private static double norm(float[] g) {
        double s = 0;
        for (float x : g) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }

    @Test
    void clipnorm_scalesEachGradientAboveTheNormToIt_andLeavesSmallerOnesAlone() {
        List<Variable> vars = vars();
        List<Tensor> grads = grads();
        SGD.builder().learningRate(1).clipnorm(1.0).build().applyGradients(grads, vars);
        double n1 = norm(G1);
        // Keras: g · clipnorm / max(‖g‖, clipnorm), per variable
        assertMovedBy(vars, new double[][] {
            {3 / n1, -4 / n1, 0.5 / n1},
            {0.1, 0.2}});
        assertThat(grads.get(0).data()).as("the caller's gradient is not modified").containsExactly(G1);
        assertThat(grads.get(1).data()).containsExactly(G2);
    }

    @Test
    void clipvalue_clampsEveryElement() {
        List<Variable> vars = vars();
        List<Tensor> grads = grads();
        SGD.builder().learningRate(1).clipvalue(0.15).build().applyGradients(grads, vars);
        assertMovedBy(vars, new double[][] {{0.15, -0.15, 0.15}, {0.1, 0.15}});
        assertThat(grads.get(0).data()).containsExactly(G1);
    }

    @Test
    void globalClipnorm_scalesAllGradientsByTheirJointNorm() {
        List<Variable> vars = vars();
        List<Tensor> grads = grads();
        SGD.builder().learningRate(1).globalClipnorm(2.0).build().applyGradients(grads, vars);
        double joint = Math.sqrt(norm(G1) * norm(G1) + norm(G2) * norm(G2));
        double s = 2.0 / joint;     // Keras: clip · min(1/‖all‖, 1/clip)
        assertMovedBy(vars, new double[][] {{3 * s, -4 * s, 0.5 * s}, {0.1 * s, 0.2 * s}});
        assertThat(grads.get(1).data()).containsExactly(G2);
    }

    @Test
    void globalClipnorm_belowTheNormChangesNothingButTheRounding() {
        List<Variable> vars = vars();
        SGD.builder().learningRate(1).globalClipnorm(100.0).build().applyGradients(grads(), vars);
        assertMovedBy(vars, new double[][] {{3, -4, 0.5}, {0.1, 0.2}});
    }

    @Test
    void clipnorm_withNullGradientAndAdam_sameAsAdamOnPreClippedGradients() {
        // The clipping happens before the update: Adam with clipnorm equals Adam fed clipped gradients.
        Variable a = Variable.of("a", Tensor.ones(3));
        Variable b = Variable.of("b", Tensor.ones(2));
        Variable a2 = Variable.of("a", Tensor.ones(3));
        Variable b2 = Variable.of("b", Tensor.ones(2));
        Adam clipped = Adam.builder().clipnorm(1.0).build();
        Adam plain = new Adam();
        float n = (float) norm(G1);
        float[] pre = new float[3];
        for (int i = 0; i < 3; i++) {
            pre[i] = G1[i] * 1f / n;
        }
        for (int t = 0; t < 3; t++) {
            clipped.applyGradients(Arrays.asList(Tensor.of(G1, 3), null), List.of(a, b));
            plain.applyGradients(Arrays.asList(Tensor.of(pre, 3), null), List.of(a2, b2));
        }
        assertThat(a.data()).containsExactly(a2.data());
        assertThat(b.data()).containsExactly(1f, 1f);
    }

    @Test
    void clipnorm_allocatesNoScratchForASkippedVariable_andZeroGradientStaysZero() {
        Variable a = Variable.of("a", Tensor.ones(2));
        SGD.builder().learningRate(1).clipnorm(1.0).build().applyGradients(List.of(Tensor.zeros(2)), List.of(a));
        assertThat(a.data()).containsExactly(1f, 1f);
    }

    @Test
    void clipping_badValuesAndMoreThanOneRejectedAtTheCall() {
        assertThatThrownBy(() -> Adam.builder().clipnorm(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("clipnorm must be a finite number > 0, got 0.0");
        assertThatThrownBy(() -> SGD.builder().clipvalue(-1)).hasMessageContaining("clipvalue")
                .hasMessageContaining("-1.0");
        assertThatThrownBy(() -> RMSprop.builder().globalClipnorm(Double.NaN)).hasMessageContaining("globalClipnorm");
        assertThatThrownBy(() -> Adam.builder().clipnorm(1).clipvalue(0.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only one of clipnorm, clipvalue and globalClipnorm")
                .hasMessageContaining("clipnorm=1.0, clipvalue=0.5, globalClipnorm=none");
        assertThatThrownBy(() -> Nadam.builder().globalClipnorm(1).clipnorm(2)).hasMessageContaining("only one");
        // setting the same one twice is fine
        assertThat(Adam.builder().clipnorm(1).clipnorm(2).build().config()).containsEntry("clipnorm", 2.0);
    }
}
