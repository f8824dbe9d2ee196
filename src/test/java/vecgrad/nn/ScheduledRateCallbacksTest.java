package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import vecgrad.optim.Adam;
import vecgrad.optim.ExponentialDecay;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * A callback that sets the learning rate cannot work with an optimizer whose rate comes from a schedule;
 * Keras raises at the first change, possibly epochs in, and we refuse before the first step.
 */
final class ScheduledRateCallbacksTest {

    @Test
    void reduceLROnPlateau_withScheduledOptimizer_refusedBeforeTheFirstStep() {
        assertRefusedBeforeTraining(new ReduceLROnPlateau("loss", 0.5, 1), "ReduceLROnPlateau");
    }

    @Test
    void learningRateScheduler_withScheduledOptimizer_refusedBeforeTheFirstStep() {
        assertRefusedBeforeTraining(new LearningRateScheduler((epoch, lr) -> lr), "LearningRateScheduler");
    }

    @Test
    void rateCallbacks_withConstantRate_setTheRate() {
        Tensor[] d = SequentialTest.blobs(40, 5, 1);
        Sequential m = SequentialTest.small(1);
        Adam adam = new Adam(1e-2f);
        m.compile(adam, Loss.categoricalCrossentropy());
        m.fit(d[0], d[1], FitOptions.defaults().epochs(2).batchSize(20).verbose(0)
                .callbacks(new LearningRateScheduler((epoch, lr) -> 0.25)));
        assertThat(adam.learningRate()).isEqualTo(0.25f);
    }

    private static void assertRefusedBeforeTraining(Callback callback, String name) {
        Tensor[] d = SequentialTest.blobs(40, 5, 1);
        Sequential m = SequentialTest.small(1);
        Adam adam = Adam.builder().learningRate(new ExponentialDecay(1e-2, 10, 0.9)).build();
        m.compile(adam, Loss.categoricalCrossentropy());
        List<float[]> before = m.trainableVariables().stream().map(Variable::data).map(float[]::clone).toList();

        assertThatThrownBy(() -> m.fit(d[0], d[1], FitOptions.defaults().epochs(3).batchSize(20).verbose(0)
                .callbacks(callback)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(name)
                .hasMessageContaining("ExponentialDecay");
        assertThat(adam.iterations()).as("steps taken").isZero();
        for (int i = 0; i < before.size(); i++) {
            assertThat(m.trainableVariables().get(i).data()).isEqualTo(before.get(i));
        }
    }
}
