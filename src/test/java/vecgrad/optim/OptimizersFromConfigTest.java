package vecgrad.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vecgrad.io.Json;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/** Optimizers and schedules come back from their configs, as a whole-model file reads them. */
final class OptimizersFromConfigTest {

    /** Every optimizer with settings away from the defaults, and every schedule among them. */
    static Stream<Optimizer> optimizers() {
        return Stream.of(
                SGD.builder().learningRate(0.05).momentum(0.8).nesterov(true).clipvalue(0.5).build(),
                Adam.builder().learningRate(new ExponentialDecay(0.01, 3, 0.5, true)).beta1(0.8).beta2(0.99)
                        .epsilon(1e-6).amsgrad(true).globalClipnorm(2.0).build(),
                AdamW.builder().learningRate(new InverseTimeDecay(0.01, 2, 0.5, false)).weightDecay(0.01).build(),
                RMSprop.builder().learningRate(new PiecewiseConstantDecay(new long[] {1, 2}, new double[] {0.1, 0.05,
                    0.01})).rho(0.8).momentum(0.3).epsilon(1e-5).centered(true).clipnorm(1.5).build(),
                Adagrad.builder().learningRate(new PolynomialDecay(0.1, 4, 0.001, 2.0, true))
                        .initialAccumulatorValue(0.2).epsilon(1e-6).weightDecay(0.001).build(),
                Nadam.builder().learningRate(new CosineDecay(0.0, 5, 0.1, 0.02, 2)).beta1(0.85).build(),
                Adamax.builder().learningRate(new CosineDecayRestarts(0.02, 2, 1.5, 0.9, 0.05)).beta2(0.98).build());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> throughJson(Map<String, Object> config) {
        return (Map<String, Object>) Json.read(Json.write(config));
    }

    private static List<Variable> variables() {
        return List.of(Variable.of("a/kernel", Tensor.of(new float[] {0.5f, -1.25f, 2f}, 3)),
                Variable.of("a/bias", Tensor.of(new float[] {0.1f, 0.2f}, 2)));
    }

    private static int[] steps(Optimizer o, List<Variable> vs) {
        for (int t = 0; t < 3; t++) {
            o.applyGradients(List.of(Tensor.of(new float[] {0.3f - t, -0.7f, 1.1f * t}, 3),
                    Tensor.of(new float[] {-0.2f, 0.9f + t}, 2)), vs);
        }
        List<Integer> bits = new ArrayList<>();
        for (Variable v : vs) {
            for (float f : v.data()) {
                bits.add(Float.floatToRawIntBits(f));
            }
        }
        return bits.stream().mapToInt(Integer::intValue).toArray();
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void fromConfig_givesTheSameOptimizer(Optimizer original) {
        Optimizer rebuilt = Optimizers.fromConfig(Optimizers.className(original), throughJson(original.config()));
        assertThat(rebuilt).isNotSameAs(original).hasSameClassAs(original);
        assertThat(rebuilt.config()).isEqualTo(original.config());
        assertThat(rebuilt.iterations()).isZero();
        // Three steps on two variables: the same bits, so the config holds every setting the update reads.
        assertThat(steps(rebuilt, variables())).isEqualTo(steps(original, variables()));
    }

    @Test
    void fromConfig_absentKeys_takeKerasDefaults() {
        // Keras 3 defaults, from keras/src/optimizers/*.py, written here rather than read from the code.
        Map<String, Object> adam = Optimizers.fromConfig("Adam", Map.of()).config();
        assertThat(adam).containsEntry("learning_rate", (double) 0.001f).containsEntry("beta_1", 0.9)
                .containsEntry("beta_2", 0.999).containsEntry("epsilon", 1e-7).containsEntry("amsgrad", false);
        assertThat(Optimizers.fromConfig("SGD", Map.of()).config()).containsEntry("learning_rate", (double) 0.01f)
                .containsEntry("momentum", 0.0).containsEntry("nesterov", false);
        assertThat(Optimizers.fromConfig("RMSprop", Map.of()).config()).containsEntry("rho", 0.9)
                .containsEntry("momentum", 0.0).containsEntry("epsilon", 1e-7).containsEntry("centered", false);
        assertThat(Optimizers.fromConfig("Adagrad", Map.of()).config())
                .containsEntry("initial_accumulator_value", 0.1).containsEntry("epsilon", 1e-7);
        assertThat(Optimizers.fromConfig("AdamW", Map.of()).config()).containsEntry("weight_decay", 0.004);
        // Keras writes weight_decay None for no decay; AdamW then decays nothing.
        Map<String, Object> none = new LinkedHashMap<>();
        none.put("weight_decay", null);
        assertThat(Optimizers.fromConfig("AdamW", none).config()).containsEntry("weight_decay", 0.0);
        Map<String, Object> poly = LearningRateSchedule.fromConfig("PolynomialDecay",
                Map.of("initial_learning_rate", 0.1, "decay_steps", 10L)).config();
        assertThat(poly).containsEntry("end_learning_rate", 1e-4).containsEntry("power", 1.0)
                .containsEntry("cycle", false);
        Map<String, Object> sgdr = LearningRateSchedule.fromConfig("CosineDecayRestarts",
                Map.of("initial_learning_rate", 0.1, "first_decay_steps", 10L)).config();
        assertThat(sgdr).containsEntry("t_mul", 2.0).containsEntry("m_mul", 1.0).containsEntry("alpha", 0.0);
        // Python may write a step count as 10.0
        assertThat(LearningRateSchedule.fromConfig("ExponentialDecay", Map.of("initial_learning_rate", 0.1,
                "decay_steps", 10.0, "decay_rate", 0.5)).config()).containsEntry("decay_steps", 10L);
    }

    @Test
    void fromConfig_refusesBadConfigs_namingClassAndKey() {
        assertThatThrownBy(() -> Optimizers.fromConfig("Adamm", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("Adamm: unknown optimizer class");
        assertThatThrownBy(() -> Optimizers.fromConfig("Adam", Map.of("beta_1", 1.5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("Adam: ")
                .hasMessageContaining("beta1").hasMessageContaining("1.5");
        assertThatThrownBy(() -> Optimizers.fromConfig("Adam", Map.of("momentum", 0.9)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown config key(s) [momentum]");
        assertThatThrownBy(() -> Optimizers.fromConfig("SGD", Map.of("nesterov", "yes")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SGD: expected 'nesterov' to be true or false, got \"yes\"");
        assertThatThrownBy(() -> Optimizers.fromConfig("SGD", Map.of("learning_rate", -1.0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("SGD: ")
                .hasMessageContaining("learningRate").hasMessageContaining("-1.0");
        assertThatThrownBy(() -> Optimizers.fromConfig("SGD", Map.of("clipnorm", 1.0, "clipvalue", 1.0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only one of clipnorm");
        assertThatThrownBy(() -> Optimizers.fromConfig("Adam", Map.of("name", "my_adam")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'name' to be \"adam\"");
        assertThatThrownBy(() -> Optimizers.fromConfig("Adam", Map.of("learning_rate",
                Map.of("class_name", "StepDecay", "config", Map.of()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Adam: learning_rate: StepDecay: unknown learning-rate schedule class");
        assertThatThrownBy(() -> LearningRateSchedule.fromConfig("ExponentialDecay",
                Map.of("initial_learning_rate", 0.1, "decay_rate", 0.5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("ExponentialDecay: missing 'decay_steps'");
        assertThatThrownBy(() -> LearningRateSchedule.fromConfig("ExponentialDecay",
                Map.of("initial_learning_rate", 0.1, "decay_steps", 0L, "decay_rate", 0.5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("decaySteps must be > 0, got 0");
        assertThatThrownBy(() -> LearningRateSchedule.fromConfig("ExponentialDecay",
                Map.of("initial_learning_rate", 0.1, "decay_steps", 2.5, "decay_rate", 0.5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ExponentialDecay: expected 'decay_steps' to be a whole number, got 2.5");
        assertThatThrownBy(() -> LearningRateSchedule.fromConfig("PiecewiseConstantDecay",
                Map.of("boundaries", List.of(2L, 1L), "values", List.of(0.1, 0.2, 0.3))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("strictly increasing");
        assertThatThrownBy(() -> LearningRateSchedule.fromConfig("PiecewiseConstantDecay",
                Map.of("boundaries", List.of(1L), "values", List.of(0.1, "x"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("PiecewiseConstantDecay: expected 'values[1]' to be a number, got \"x\"");
    }

    @Test
    void className_refusesOptimizersAndSchedulesOfYourOwn() {
        LearningRateSchedule own = new LearningRateSchedule() {
            @Override
            public float value(long step) {
                return 0.1f;
            }

            @Override
            public Map<String, Object> config() {
                return Map.of();
            }
        };
        assertThat(LearningRateSchedule.isBuiltin(own)).isFalse();
        assertThat(LearningRateSchedule.isBuiltin(new CosineDecay(0.1, 3))).isTrue();
        assertThatThrownBy(() -> Optimizers.className(SGD.builder().learningRate(own).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(own.getClass().getName());
        assertThat(Optimizers.className(new Adam())).isEqualTo("Adam");
    }
}
