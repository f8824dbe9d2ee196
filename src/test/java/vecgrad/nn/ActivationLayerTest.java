package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import vecgrad.autodiff.GradientTape;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/** {@link ActivationLayer}, Keras' {@code keras.layers.Activation}. */
final class ActivationLayerTest {

    private static final List<Activation> SOME = List.of(Activation.RELU, Activation.SOFTMAX, Activation.LOG_SOFTMAX,
            Activation.GELU, Activation.gelu(true), Activation.leakyRelu(0.05), Activation.SELU, Activation.SWISH,
            Activation.HARD_SIGMOID, Activation.SOFTPLUS, Activation.RELU6, Activation.elu(0.7), Activation.SOFTSIGN);

    @Test
    void call_inSequential_equalsDenseWithTheActivation() {
        Tensor x = Tensor.randomNormal(new Random(2), 0, 2, 6, 5);
        for (Activation a : SOME) {
            Sequential fused = new Sequential(5, 9L, new Dense(4, a));
            Sequential split = new Sequential(5, 9L, new Dense(4), new ActivationLayer(a));
            // the layer has no weights, so both models draw the same kernel from the seed
            assertThat(split.variables()).extracting(Variable::name).containsExactly("dense/kernel", "dense/bias");
            assertThat(split.call(x).contentEquals(fused.call(x))).as("%s", a).isTrue();
            assertThat(split.call(x, true).contentEquals(fused.call(x, true))).as("%s training", a).isTrue();
        }
    }

    @Test
    void call_isDifferentiatedByTheTape() {
        Sequential split = new Sequential(5, 9L, new Dense(4), new ActivationLayer(Activation.GELU));
        Sequential fused = new Sequential(5, 9L, new Dense(4, Activation.GELU));
        Tensor x = Tensor.randomNormal(new Random(3), 0, 1, 3, 5);
        assertThat(kernelGradient(split, x).contentEquals(kernelGradient(fused, x))).isTrue();
    }

    private static Tensor kernelGradient(Sequential model, Tensor x) {
        try (GradientTape tape = new GradientTape()) {
            Variable kernel = model.trainableVariables().get(0);
            tape.watch(kernel);
            Tensor loss = vecgrad.autodiff.Ops.sum(model.call(x, true));
            return tape.gradient(loss, kernel);
        }
    }

    @Test
    void layer_isNamedAndConfiguredAsKeras() {
        ActivationLayer first = new ActivationLayer("relu");
        ActivationLayer second = new ActivationLayer(Activation.leakyRelu(0.1));
        Sequential model = new Sequential(3, 1L, new Dense(4), first, new Dense(2), second);
        assertThat(first.baseName()).isEqualTo("activation");
        assertThat(model.layers()).extracting(Layer::name).containsExactly("dense", "activation", "dense_1", "activation_1");
        assertThat(first.config()).isEqualTo(Map.of("activation", "relu"));
        assertThat(second.config()).containsExactly(Map.entry("activation", "leaky_relu"), Map.entry("negative_slope", 0.1));
        assertThat(first.weights()).isEmpty();
        assertThat(first.countParams()).isZero();
        assertThat(first.activation()).isSameAs(Activation.RELU);
        assertThat(new ActivationLayer(Activation.ELU, "my_act").name()).isEqualTo("my_act");
        // the config reads back to the same function
        Map<String, Object> c = new java.util.HashMap<>(second.config());
        String name = (String) c.remove("activation");
        assertThat(Activation.fromConfig(name, c)).isEqualTo(second.activation());
    }

    @Test
    void outputShape_isTheInputShape() {
        ActivationLayer act = new ActivationLayer(Activation.SWISH);
        Sequential model = new Sequential(new int[] {3, 4}, 1L, act);
        assertThat(act.inputShape()).containsExactly(3, 4);
        assertThat(act.outputShape()).containsExactly(3, 4);
        assertThat(model.outputShape()).containsExactly(3, 4);
        Tensor x = Tensor.randomNormal(new Random(4), 0, 1, 2, 3, 4);
        assertThat(model.call(x).shape()).containsExactly(2, 3, 4);
    }

    @Test
    void constructor_rejectsBadInput() {
        assertThatThrownBy(() -> new ActivationLayer("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown activation 'nope': expected one of relu, sigmoid");
        assertThatThrownBy(() -> new ActivationLayer((Activation) null)).isInstanceOf(NullPointerException.class)
                .hasMessage("ActivationLayer: expected an activation, got null");
        assertThatThrownBy(() -> new ActivationLayer((String) null)).isInstanceOf(NullPointerException.class)
                .hasMessage("ActivationLayer: expected an activation name, got null");
        assertThatThrownBy(() -> new ActivationLayer(Activation.RELU, "a/b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void build_rowWiseActivationOnImages_isRefused() {
        assertThatThrownBy(() -> new Sequential(new int[] {3, 4}, 1L, new ActivationLayer(Activation.SOFTMAX)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("softmax expected inputs of shape (batch, features), got (batch, 3, 4)");
    }
}
