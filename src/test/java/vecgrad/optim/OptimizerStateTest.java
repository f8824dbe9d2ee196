package vecgrad.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/** Optimizer state (iterations and slots) saved, loaded into a fresh optimizer, and continued exactly; configs. */
final class OptimizerStateTest {

    static Stream<Supplier<Optimizer>> optimizers() {
        return Stream.of(() -> SGD.builder().learningRate(0.1).momentum(0.9).nesterov(true).build(),
                () -> new SGD(0.1f), () -> Adam.builder().amsgrad(true).build(), Adam::new,
                () -> AdamW.builder().learningRate(new CosineDecay(0, 4, 0.1, 0.01, 2)).build(),
                () -> RMSprop.builder().centered(true).momentum(0.5).clipnorm(0.5).build(),
                () -> Adagrad.builder().globalClipnorm(1).build(), () -> Nadam.builder().clipvalue(0.5).build(),
                Adamax::new);
    }

    private static List<Variable> variables(long seed) {
        Random r = new Random(seed);
        return List.of(Variable.of("dense/kernel", Tensor.randomNormal(r, 0, 1, 4, 3)),
                Variable.of("dense/bias", Tensor.randomNormal(r, 0, 1, 3)));
    }

    private static List<Tensor> gradients(int step) {
        Random r = new Random(100 + step);
        return List.of(Tensor.randomNormal(r, 0, 1, 4, 3), Tensor.randomNormal(r, 0, 1, 3));
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void saveAfterThreeSteps_loadIntoAFreshOptimizer_continuesBitIdentically(Supplier<Optimizer> make) {
        List<Variable> straight = variables(1);
        Optimizer six = make.get();
        for (int t = 0; t < 6; t++) {
            six.applyGradients(gradients(t), straight);
        }

        List<Variable> resumed = variables(1);
        Optimizer first = make.get();
        for (int t = 0; t < 3; t++) {
            first.applyGradients(gradients(t), resumed);
        }
        Map<String, Tensor> saved = first.variables();
        Optimizer second = make.get();
        second.loadVariables(resumed, saved);
        assertThat(second.iterations()).isEqualTo(3);
        assertThat(second.learningRate()).isEqualTo(first.learningRate());
        for (int t = 3; t < 6; t++) {
            second.applyGradients(gradients(t), resumed);
        }
        for (int i = 0; i < straight.size(); i++) {
            assertThat(resumed.get(i).data()).as(six + " " + straight.get(i).name()).isEqualTo(straight.get(i).data());
        }
        Map<String, Tensor> a = six.variables();
        Map<String, Tensor> b = second.variables();
        assertThat(b.keySet()).containsExactlyElementsOf(a.keySet());
        for (String k : a.keySet()) {
            assertThat(b.get(k).data()).as(k).isEqualTo(a.get(k).data());
        }
        assertThat(second.config()).isEqualTo(six.config());
    }

    @Test
    void variables_areCopiesNamedAsKeras() {
        List<Variable> vars = variables(2);
        Adam adam = new Adam();
        assertThat(adam.variables()).containsOnlyKeys("adam/iteration");
        adam.applyGradients(gradients(0), vars);
        Map<String, Tensor> state = adam.variables();
        assertThat(state.keySet()).containsExactly("adam/iteration", "adam/momentum_dense_kernel",
                "adam/velocity_dense_kernel", "adam/momentum_dense_bias", "adam/velocity_dense_bias");
        assertThat(state.get("adam/momentum_dense_kernel").shape()).containsExactly(4, 3);
        state.get("adam/momentum_dense_kernel").data()[0] = 1234f;
        assertThat(adam.variables().get("adam/momentum_dense_kernel").data()[0]).isNotEqualTo(1234f);
    }

    @Test
    void loadVariables_badStateRejectedNamingTheProblem() {
        List<Variable> vars = variables(3);
        Adam adam = new Adam();
        adam.applyGradients(gradients(0), vars);
        Map<String, Tensor> state = adam.variables();

        Map<String, Tensor> missing = new LinkedHashMap<>(state);
        missing.remove("adam/velocity_dense_bias");
        assertThatThrownBy(() -> new Adam().loadVariables(vars, missing)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no value for 'adam/velocity_dense_bias'");

        Map<String, Tensor> extra = new LinkedHashMap<>(state);
        extra.put("adam/other", Tensor.zeros(1));
        assertThatThrownBy(() -> new Adam().loadVariables(vars, extra)).hasMessageContaining("adam/other");

        Map<String, Tensor> shape = new LinkedHashMap<>(state);
        shape.put("adam/momentum_dense_bias", Tensor.zeros(4));
        assertThatThrownBy(() -> new Adam().loadVariables(vars, shape)).hasMessageContaining("(4)")
                .hasMessageContaining("(3)");

        Map<String, Tensor> iteration = new LinkedHashMap<>(state);
        iteration.put("adam/iteration", Tensor.scalar(1.5f));
        assertThatThrownBy(() -> new Adam().loadVariables(vars, iteration)).hasMessageContaining("whole number");

        // an SGD's state is not an Adam's
        assertThatThrownBy(() -> new SGD().loadVariables(vars, state)).hasMessageContaining("sgd/iteration");

        Adam untouched = new Adam();
        assertThat(untouched.iterations()).isZero();
    }

    @Test
    void config_keysAndValuesAsKeras() {
        Map<String, Object> adam = Adam.builder().learningRate(0.01).clipnorm(1).build().config();
        assertThat(new ArrayList<>(adam.keySet())).containsExactly("name", "learning_rate", "weight_decay", "clipnorm",
                "global_clipnorm", "clipvalue", "beta_1", "beta_2", "epsilon", "amsgrad");
        assertThat(adam).containsEntry("name", "adam").containsEntry("learning_rate", (double) 0.01f)
                .containsEntry("weight_decay", null).containsEntry("clipnorm", 1.0).containsEntry("beta_2", 0.999)
                .containsEntry("epsilon", 1e-7).containsEntry("amsgrad", false);
        assertThat(new AdamW().config()).containsEntry("name", "adamw").containsEntry("weight_decay", 0.004);
        assertThat(RMSprop.builder().centered(true).build().config()).containsEntry("rho", 0.9)
                .containsEntry("momentum", 0.0).containsEntry("centered", true);
        assertThat(new Adagrad().config()).containsEntry("initial_accumulator_value", 0.1);
        assertThat(new SGD(0.1f, 0.9f, true).config()).containsEntry("momentum", 0.9).containsEntry("nesterov", true)
                .containsEntry("learning_rate", (double) 0.1f);
        assertThat(new Nadam().config()).containsEntry("name", "nadam").containsEntry("beta_1", 0.9);
        assertThat(new Adamax().config()).containsEntry("name", "adamax").containsEntry("beta_2", 0.999);
    }

    @Test
    void defaults_areKeras() {
        assertThat(new RMSprop().learningRate()).isEqualTo(1e-3f);
        assertThat(new Adagrad().learningRate()).isEqualTo(1e-3f);
        assertThat(new AdamW().learningRate()).isEqualTo(1e-3f);
        assertThat(new Nadam().learningRate()).isEqualTo(1e-3f);
        assertThat(new Adamax().learningRate()).isEqualTo(1e-3f);
        assertThat(new SGD().learningRate()).isEqualTo(0.01f);
        assertThat(new Adam().amsgrad()).isFalse();
        assertThat(new RMSprop().config()).containsEntry("epsilon", 1e-7).containsEntry("centered", false);
    }

    @Test
    void builders_rejectBadHyperParametersAtTheCall() {
        assertThatThrownBy(() -> RMSprop.builder().rho(1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("RMSprop: rho must be in [0, 1), got 1.5");
        assertThatThrownBy(() -> RMSprop.builder().momentum(-0.1)).hasMessageContaining("RMSprop: momentum");
        assertThatThrownBy(() -> RMSprop.builder().epsilon(0)).hasMessageContaining("RMSprop: epsilon");
        assertThatThrownBy(() -> Adagrad.builder().initialAccumulatorValue(-1))
                .hasMessageContaining("Adagrad: initialAccumulatorValue must be a finite number >= 0, got -1.0");
        assertThatThrownBy(() -> Adagrad.builder().learningRate(0)).hasMessageContaining("Adagrad: learningRate")
                .hasMessageContaining("got 0.0");
        assertThatThrownBy(() -> Nadam.builder().beta1(1)).hasMessageContaining("Nadam: beta1 must be in [0, 1), got 1.0");
        assertThatThrownBy(() -> Adamax.builder().beta2(Double.NaN)).hasMessageContaining("Adamax: beta2");
        assertThatThrownBy(() -> AdamW.builder().weightDecay(-0.1)).hasMessageContaining("AdamW: weightDecay");
        assertThatThrownBy(() -> Adam.builder().learningRate(1e-60)).hasMessageContaining("Adam: learningRate");
        assertThatThrownBy(() -> Adam.builder().learningRate((LearningRateSchedule) null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> SGD.builder().nesterov(true).build()).hasMessageContaining("nesterov needs a momentum");
        assertThatThrownBy(() -> Adam.builder().epsilon(Double.POSITIVE_INFINITY)).hasMessageContaining("Adam: epsilon");
    }
}
