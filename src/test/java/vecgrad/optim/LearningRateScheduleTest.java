package vecgrad.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * Each schedule's values at several steps against Keras 3's formula
 * (keras/src/optimizers/schedules/learning_rate_schedule.py) written here in double, to 2 float ulps.
 */
final class LearningRateScheduleTest {

    private static final long[] STEPS = {0, 1, 7, 99, 100, 101, 250, 999, 1000, 1001, 5000};

    private static void assertFollows(LearningRateSchedule s, LongToDoubleFunction keras) {
        for (long step : STEPS) {
            double expected = keras.applyAsDouble(step);
            assertThat((double) s.value(step)).as("%s at step %d", s.getClass().getSimpleName(), step)
                    .isCloseTo(expected, within(2 * Math.ulp((float) expected) + 1e-30));
        }
    }

    @Test
    void exponentialDecay_smoothAndStaircase() {
        assertFollows(new ExponentialDecay(0.1, 100, 0.5), t -> 0.1 * Math.pow(0.5, t / 100.0));
        assertFollows(new ExponentialDecay(0.1, 100, 0.5, true), t -> 0.1 * Math.pow(0.5, Math.floor(t / 100.0)));
        assertThat(new ExponentialDecay(0.1, 100, 0.5, true).value(199)).isEqualTo(0.05f);
    }

    @Test
    void inverseTimeDecay_smoothAndStaircase() {
        assertFollows(new InverseTimeDecay(0.1, 100, 0.5, false), t -> 0.1 / (1 + 0.5 * (t / 100.0)));
        assertFollows(new InverseTimeDecay(0.1, 100, 0.5, true), t -> 0.1 / (1 + 0.5 * Math.floor(t / 100.0)));
    }

    @Test
    void piecewiseConstantDecay_boundaryBelongsToTheInterval_itEnds() {
        PiecewiseConstantDecay s = new PiecewiseConstantDecay(new long[] {100, 1000}, new double[] {1.0, 0.5, 0.1});
        // Keras: step <= 100 -> 1.0; 100 < step <= 1000 -> 0.5; step > 1000 -> 0.1
        assertFollows(s, t -> t <= 100 ? 1.0 : t <= 1000 ? 0.5 : 0.1);
        assertThat(s.value(100)).isEqualTo(1f);
        assertThat(s.value(101)).isEqualTo(0.5f);
    }

    @Test
    void polynomialDecay_linearPowerAndCycle() {
        assertFollows(new PolynomialDecay(0.1, 1000), t -> (0.1 - 1e-4) * (1 - Math.min(t, 1000) / 1000.0) + 1e-4);
        assertFollows(new PolynomialDecay(0.1, 1000, 0.01, 2.0, false),
                t -> (0.1 - 0.01) * Math.pow(1 - Math.min(t, 1000) / 1000.0, 2) + 0.01);
        assertFollows(new PolynomialDecay(0.1, 300, 0.01, 0.5, true), t -> {
            double d = 300 * (t == 0 ? 1 : Math.ceil(t / 300.0));
            return (0.1 - 0.01) * Math.pow(1 - t / d, 0.5) + 0.01;
        });
    }

    static double cosine(double from, double s, double steps, double alpha) {
        return from * ((1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * s / steps)) + alpha);
    }

    @Test
    void cosineDecay_withAndWithoutWarmup() {
        assertFollows(new CosineDecay(0.1, 1000), t -> cosine(0.1, Math.min(t, 1000), 1000, 0));
        assertFollows(new CosineDecay(0.1, 1000, 0.2), t -> cosine(0.1, Math.min(t, 1000), 1000, 0.2));
        // Keras 3: linear warm-up from initial_learning_rate to warmup_target, then the decay from the target
        CosineDecay warm = new CosineDecay(0.0, 1000, 0.1, 0.5, 100);
        assertFollows(warm, t -> {
            double s = Math.min(t, 1100);
            return s < 100 ? (0.5 - 0.0) * (s / 100) + 0.0 : cosine(0.5, s - 100, 1000, 0.1);
        });
        assertThat(warm.value(0)).isZero();
        assertThat(warm.value(50)).isEqualTo(0.25f);
        assertThat(warm.value(100)).isEqualTo(0.5f);
        assertThat(warm.value(5000)).isCloseTo(0.05f, within(1e-8f));
    }

    @Test
    void cosineDecayRestarts_geometricAndConstantPeriods() {
        assertFollows(new CosineDecayRestarts(0.1, 100), t -> {
            // t_mul 2: periods 100, 200, 400, ...
            double f = t / 100.0;
            double i = Math.floor(Math.log(1 - f * (1 - 2.0)) / Math.log(2.0));
            double sum = (1 - Math.pow(2, i)) / (1 - 2.0);
            f = (f - sum) / Math.pow(2, i);
            return 0.1 * (0.5 * (1 + Math.cos(Math.PI * f)));
        });
        assertFollows(new CosineDecayRestarts(0.1, 100, 1.0, 0.5, 0.1), t -> {
            double f = t / 100.0;
            double i = Math.floor(f);
            f -= i;
            return 0.1 * ((1 - 0.1) * 0.5 * Math.pow(0.5, i) * (1 + Math.cos(Math.PI * f)) + 0.1);
        });
        // restart at 100 and at 300 (100 + 200)
        CosineDecayRestarts s = new CosineDecayRestarts(0.1, 100);
        assertThat(s.value(100)).isEqualTo(0.1f);
        assertThat(s.value(300)).isEqualTo(0.1f);
    }

    @Test
    void badParameters_rejectedAtConstructionNamingTheParameter() {
        assertThatThrownBy(() -> new ExponentialDecay(0.1, 0, 0.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ExponentialDecay: decaySteps must be > 0, got 0");
        assertThatThrownBy(() -> new ExponentialDecay(-0.1, 10, 0.5)).hasMessageContaining("initialLearningRate");
        assertThatThrownBy(() -> new ExponentialDecay(0.1, 10, 0)).hasMessageContaining("decayRate");
        assertThatThrownBy(() -> new InverseTimeDecay(0.1, -5, 0.5, false)).hasMessageContaining("decaySteps")
                .hasMessageContaining("-5");
        assertThatThrownBy(() -> new PiecewiseConstantDecay(new long[] {10, 10}, new double[] {1, 2, 3}))
                .hasMessageContaining("boundaries must be strictly increasing").hasMessageContaining("[10, 10]");
        assertThatThrownBy(() -> new PiecewiseConstantDecay(new long[] {10}, new double[] {1}))
                .hasMessageContaining("values must hold one more element than boundaries, got 1 values for 1 boundaries");
        assertThatThrownBy(() -> new PiecewiseConstantDecay(new long[] {10}, new double[] {1, Double.NaN}))
                .hasMessageContaining("values[1]");
        assertThatThrownBy(() -> new PolynomialDecay(0.1, 0)).hasMessageContaining("PolynomialDecay: decaySteps");
        assertThatThrownBy(() -> new PolynomialDecay(0.1, 10, 0.01, -1, false)).hasMessageContaining("power");
        assertThatThrownBy(() -> new CosineDecay(0.1, 0)).hasMessageContaining("CosineDecay: decaySteps");
        assertThatThrownBy(() -> new CosineDecay(0.1, 10, 0, 0.5, -1)).hasMessageContaining("warmupSteps");
        assertThatThrownBy(() -> new CosineDecay(0.1, 10, 0, Double.POSITIVE_INFINITY, 5))
                .hasMessageContaining("warmupTarget");
        assertThatThrownBy(() -> new CosineDecayRestarts(0.1, 0)).hasMessageContaining("firstDecaySteps");
        assertThatThrownBy(() -> new CosineDecayRestarts(0.1, 10, 0, 1, 0)).hasMessageContaining("tMul");
        assertThatThrownBy(() -> new ExponentialDecay(0.1, 10, 0.5).value(-1)).hasMessageContaining("step must be >= 0");
    }

    @Test
    void config_namesAndValuesAsKeras() {
        assertThat(new ExponentialDecay(0.1, 100, 0.5, true).config()).containsEntry("initial_learning_rate", 0.1)
                .containsEntry("decay_steps", 100L).containsEntry("decay_rate", 0.5).containsEntry("staircase", true);
        assertThat(new PiecewiseConstantDecay(new long[] {5}, new double[] {1, 2}).config())
                .containsEntry("boundaries", List.of(5L)).containsEntry("values", List.of(1.0, 2.0));
        assertThat(new CosineDecay(0, 10, 0, 0.5, 3).config()).containsEntry("warmup_target", 0.5)
                .containsEntry("warmup_steps", 3L);
        assertThat(new CosineDecay(0.1, 10).config()).containsEntry("warmup_target", null);
        assertThat(new CosineDecayRestarts(0.1, 10).config()).containsEntry("t_mul", 2.0).containsEntry("m_mul", 1.0);
        assertThat(new PolynomialDecay(0.1, 10).config()).containsEntry("end_learning_rate", 1e-4)
                .containsEntry("cycle", false);
        assertThat(new InverseTimeDecay(0.1, 10, 1, false).config()).containsKeys("initial_learning_rate", "decay_rate");
    }

    @Test
    void optimizer_usesTheScheduleAtItsIterationsBeforeTheStep() {
        // SGD, gradient 1: each step moves w by exactly the rate of value(iterations before the step)
        PiecewiseConstantDecay s = new PiecewiseConstantDecay(new long[] {1}, new double[] {0.5, 0.25});
        SGD sgd = SGD.builder().learningRate(s).build();
        Variable w = Variable.of("w", Tensor.zeros(1));
        assertThat(sgd.learningRate()).isEqualTo(0.5f);
        float[] after = new float[3];
        for (int t = 0; t < 3; t++) {
            sgd.applyGradients(List.of(Tensor.ones(1)), List.of(w));
            after[t] = w.data()[0];
        }
        // steps at iterations 0, 1, 2: rates 0.5 (0 <= 1), 0.5 (1 <= 1), 0.25
        assertThat(after).containsExactly(-0.5f, -1f, -1.25f);
        assertThat(sgd.learningRate()).isEqualTo(0.25f);
        assertThat(sgd.config().get("learning_rate")).isEqualTo(java.util.Map.of("class_name", "PiecewiseConstantDecay",
                "config", s.config()));
    }

    @Test
    void setLearningRate_refusedWithASchedule_appliedOtherwise() {
        Adam scheduled = Adam.builder().learningRate(new ExponentialDecay(0.1, 10, 0.5)).build();
        assertThatThrownBy(() -> scheduled.setLearningRate(0.01f)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("schedule");
        Adam adam = new Adam();
        adam.setLearningRate(0.01f);
        assertThat(adam.learningRate()).isEqualTo(0.01f);
        assertThat(adam.config()).containsEntry("learning_rate", (double) 0.01f);
        assertThatThrownBy(() -> adam.setLearningRate(0f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("learningRate must be a finite number > 0, got 0.0");
        assertThatThrownBy(() -> adam.setLearningRate(Float.NaN)).hasMessageContaining("learningRate");
        assertThat(Arrays.asList(adam.learningRate())).containsExactly(0.01f);
    }
}
